import type { Scope } from '@fleetdeck/shared';

import { LogQLMemo } from '../access/logql/enforce-memo.ts';
import { NOBODY, logAccessFor, restrictLogAccess, type LogAccess, type LogQLRefusal } from '../access/logql/index.ts';
import { scopeKey } from '../access/scope-checks.ts';
import { GenerationCache, InventoryShape } from '../access/scope-memo.ts';
import { HttpProblem } from '../lib/problem.ts';
import type { LokiApi, OrgIds } from '../sources/loki/loki-api.ts';
import { LokiError } from '../sources/loki/loki-client.ts';
import type { Services } from '../services.ts';

/**
 * What every log route works out first, shared by the Loki-compatible routes (loki.ts)
 * and the Logs page's own (logs.ts): the person's log access and the tenant header that
 * goes with it, the 400 problem for a refused query, and Loki's errors as problems.
 */

export interface PersonLogAccess {
  access: LogAccess;
  /** The X-Scope-OrgID for queries limited to this access (a part of the person's). */
  orgIds(access: LogAccess): OrgIds;
}

export interface LokiCtx extends PersonLogAccess {
  loki: LokiApi;
}

/**
 * The person's log access over the current inventory. With a multi-tenant Loki
 * (`loki.tenantOrgIds`), a cluster whose tenant has no org id cannot be read at all, so
 * it is left out here, and each query carries the org ids of the clusters it may read.
 * No groups at all is a 403.
 */
export function personLogAccess(services: Services, scope: Scope): PersonLogAccess {
  const memo = accessMemo(services);
  const known = memo.cache.get(String(memo.shape.generation()), scopeKey(scope), () => buildLogAccess(services, scope));
  if (known.access.groups.length === 0) throw new HttpProblem(403, NOBODY);
  return known;
}

/**
 * Log access per (inventory shape, grants), remembered: it depends on the clusters' names,
 * tenants and environments, the person's grants and the configuration only, and building
 * it (every cluster against every grant, regexes for each group) was done on every query.
 * People with the same grants share one, which also lets the enforcement memo and the
 * scope filters below key on the same objects request after request.
 */
interface AccessMemo {
  shape: InventoryShape;
  cache: GenerationCache;
}
const accessMemos = new WeakMap<Services, AccessMemo>();
function accessMemo(services: Services): AccessMemo {
  let memo = accessMemos.get(services);
  if (!memo) {
    memo = { shape: new InventoryShape(() => services.inventory.snapshot()), cache: new GenerationCache(256) };
    accessMemos.set(services, memo);
  }
  return memo;
}

function buildLogAccess(services: Services, scope: Scope): PersonLogAccess {
  const clusters = services.inventory.snapshot().clusters;
  const tenantOf = new Map(clusters.map((c) => [c.name, c.tenant]));
  const orgMap = services.config.loki.tenantOrgIds;
  let access = logAccessFor(scope, clusters);
  if (orgMap !== undefined) {
    access = restrictLogAccess(
      access,
      access.groups.flatMap((g) => g.clusters).filter((c) => Object.hasOwn(orgMap, tenantOf.get(c) ?? '')),
    );
  }
  return {
    access,
    orgIds: (a) =>
      orgMap === undefined ? undefined : [...new Set(a.groups.flatMap((g) => g.clusters).map((c) => orgMap[tenantOf.get(c)!]!))],
  };
}

/** `personLogAccess` and the Loki to ask; 503 when none is configured. */
export function lokiContext(services: Services, scope: Scope): LokiCtx {
  const loki = services.loki;
  if (!loki) throw new HttpProblem(503, 'no Loki configured (LOKI_URL)');
  return { loki, ...personLogAccess(services, scope) };
}

export function refused(r: LogQLRefusal, path: string): never {
  throw new HttpProblem(400, r.error, {
    type: 'https://fleetdeck.dev/problems/validation',
    errors: [{ path, message: r.error, ...(r.position !== undefined && { position: r.position }) }],
  });
}

/** A LokiError as the problem to answer: Loki's 4xx as our 400 (its words stay in the log), the rest as 502. */
export function lokiProblem(err: LokiError): HttpProblem {
  if (err.kind === 'refused') return new HttpProblem(400, `${err.message}; the request id locates the details in the BFF log`);
  return new HttpProblem(502, err.message);
}

export async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof LokiError) throw lokiProblem(err);
    throw err;
  }
}

/** The LogQL enforcer's answers, remembered for every route (pure functions of query and access). */
export const logql = new LogQLMemo();

/** Whether the query is a log or a metric query; 400 for anything that does not parse. */
export function kindOf(query: string): 'LogExpr' | 'MetricExpr' {
  const kind = logql.kind(query);
  if (typeof kind !== 'string') refused(kind, 'query.query');
  return kind;
}
