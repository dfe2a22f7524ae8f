import { createHash } from 'node:crypto';

import { FleetQuery, apiPaths, type Scope } from '@fleetdeck/shared';

import { scopeKey, visibleClusters } from '../access/scope-checks.ts';
import { buildFleetTree } from '../domain/fleet-tree.ts';
import { BoundedMemo } from '../lib/bounded-memo.ts';
import type { InventorySnapshot } from '../sources/inventory.ts';
import { defineRoute, requires } from './route.ts';

/** The fleet tree as the caller may see it; per-cluster errors of hidden clusters are dropped too. */
export function fleetTreeJson(snapshot: InventorySnapshot, scope: Scope): string {
  const clusters = visibleClusters(scope, snapshot.clusters);
  const names = new Set(clusters.map((c) => c.name));
  const errors = snapshot.errors.filter((e) => e.cluster === undefined || names.has(e.cluster));
  return JSON.stringify(buildFleetTree(clusters, snapshot.syncedAt, errors));
}

interface Encoded {
  body: Buffer;
  etag: string;
}

function encode(json: string): Encoded {
  const body = Buffer.from(json);
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/**
 * People with the same scope get the same bytes, so the encoded answer (and its ETag)
 * is kept per scope for the current inventory version and dropped as soon as the
 * inventory changes. A client holding the current version gets 304 and no body.
 */
export function fleetRoute() {
  const memo = new BoundedMemo<Encoded>(64);
  let memoVersion = -1;
  return defineRoute({
    method: 'get',
    path: apiPaths.fleet,
    permission: requires('view'),
    summary: 'Tenants → environments → clusters the caller may see.',
    query: FleetQuery,
    handler: ({ req, res, scope, services }) => {
      const snapshot = services.inventory.snapshot();
      if (snapshot.version !== memoVersion) {
        memo.clear();
        memoVersion = snapshot.version;
      }
      const { body, etag } = memo.getOrCompute(scopeKey(scope), () => encode(fleetTreeJson(snapshot, scope)));
      res.setHeader('etag', etag);
      res.setHeader('cache-control', 'private, no-cache');
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type('application/json').send(body);
    },
  });
}
