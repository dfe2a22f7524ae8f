import { createHash } from 'node:crypto';

import { FleetQuery, SelectorError, apiPaths, compileSelector, parseSelector, type Scope, type Selector } from '@fleetdeck/shared';

import { scopeKey, visibleClusters } from '../access/scope-checks.ts';
import { buildFleetTree } from '../domain/fleet-tree.ts';
import { BoundedMemo } from '../lib/bounded-memo.ts';
import { HttpProblem } from '../lib/problem.ts';
import type { InventorySnapshot } from '../sources/inventory.ts';
import { defineRoute, requires } from './route.ts';

/** The fleet tree as the caller may see it, narrowed by a selector; errors of hidden clusters are dropped too. */
export function fleetTreeJson(snapshot: InventorySnapshot, scope: Scope, selector: Selector = { source: '', requirements: [] }): string {
  const visible = visibleClusters(scope, snapshot.clusters);
  const names = new Set(visible.map((c) => c.name));
  const errors = snapshot.errors.filter((e) => e.cluster === undefined || names.has(e.cluster));
  const selected = selector.requirements.length === 0 ? visible : visible.filter(compileSelector(selector));
  return JSON.stringify(buildFleetTree(selected, snapshot.syncedAt, errors, visible.length));
}

export function parseSelectorParam(text: string | undefined): Selector {
  try {
    return parseSelector(text ?? '');
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    throw new HttpProblem(400, `query.selector: ${err.message}`, {
      type: 'https://fleetdeck.dev/problems/selector',
      errors: [{ path: 'query.selector', message: err.message, position: err.position }],
    });
  }
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
 * People with the same scope asking the same selector get the same bytes, so the
 * encoded answer (and its ETag) is kept per (scope, selector) for the current inventory
 * version and dropped as soon as the inventory changes. A client holding the current
 * version gets 304 and no body.
 */
export function fleetRoute() {
  const memo = new BoundedMemo<Encoded>(64);
  let memoVersion = -1;
  return defineRoute({
    method: 'get',
    path: apiPaths.fleet,
    permission: requires('view'),
    summary: 'Tenants → environments → clusters the caller may see, narrowed by ?selector=.',
    query: FleetQuery,
    handler: ({ req, res, query, scope, services }) => {
      const selector = parseSelectorParam(query.selector);
      const snapshot = services.inventory.snapshot();
      if (snapshot.version !== memoVersion) {
        memo.clear();
        memoVersion = snapshot.version;
      }
      const key = `${scopeKey(scope)}\u0000${selector.source.trim()}`;
      const { body, etag } = memo.getOrCompute(key, () => encode(fleetTreeJson(snapshot, scope, selector)));
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
