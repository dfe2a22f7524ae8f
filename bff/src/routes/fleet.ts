import { createHash } from 'node:crypto';

import { FleetQuery, SelectorError, apiPaths, parseSelector, type Selector } from '@fleetdeck/shared';

import { scopeKey } from '../access/scope-checks.ts';
import { fleetTreeJson } from '../domain/fleet-tree.ts';
import { BoundedMemo } from '../lib/bounded-memo.ts';
import { HttpProblem } from '../lib/problem.ts';
import { defineRoute, requires } from './route.ts';

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
  const memo = new BoundedMemo<Encoded>(64, { maxBytes: 32 * 1024 * 1024, sizeOf: (e) => e.body.length });
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
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type('application/json').send(body);
    },
  });
}
