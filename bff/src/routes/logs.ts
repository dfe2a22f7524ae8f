import {
  LOGS_TAIL_MAX_LOOKBACK_SECONDS,
  LogsTailQuery,
  logsApiPaths,
  parseLokiTime,
  type LogsScope,
  type LogsScopeGroup,
  type Scope,
} from '@fleetdeck/shared';

import { enforceLogQLPerGroup } from '../access/logql/index.ts';
import { HttpProblem } from '../lib/problem.ts';
import { LokiError } from '../sources/loki/loki-error.ts';
import type { Services } from '../services.ts';
import { kindOf, lokiContext, lokiProblem, personLogAccess, refused } from './loki-context.ts';
import { LOGS_TAIL_LIMITS, TailSlots, TooManyTails } from './logs-tail-limits.ts';
import { LogsTailRelay } from './logs-tail-relay.ts';
import { defineRoute, requires } from './route.ts';

/**
 * The Logs page's own routes beside the Loki-compatible ones: live tail as Server-Sent
 * Events, and the scope every query is limited to, for showing beside the LogQL box.
 */

const NS_PER_SECOND = 1_000_000_000n;

/** Tail slots per app (tests run several BFFs in one process; each counts its own). */
const slotsByApp = new WeakMap<Services, TailSlots>();
const slotsFor = (services: Services) => {
  let slots = slotsByApp.get(services);
  if (!slots) slotsByApp.set(services, (slots = new TailSlots(LOGS_TAIL_LIMITS)));
  return slots;
};

/** Where the backfill starts: the given time, at most LOGS_TAIL_MAX_LOOKBACK_SECONDS back; Loki's default (1 h back) without one. */
function tailStart(start: string | undefined, nowNs: bigint): bigint {
  const earliest = nowNs - BigInt(LOGS_TAIL_MAX_LOOKBACK_SECONDS) * NS_PER_SECOND;
  if (start === undefined) return earliest;
  const t = parseLokiTime(start)!;
  if (t < earliest) refused({ error: `a live tail starts at most ${LOGS_TAIL_MAX_LOOKBACK_SECONDS / 60} minutes back` }, 'query.start');
  if (t > nowNs) refused({ error: 'a live tail cannot start in the future' }, 'query.start');
  return t;
}

/**
 * Everything a live tail needs before Loki is asked, shared by GET /api/logs/tail and the
 * Loki-compatible websocket (loki-tail-ws.ts): a log query only, the start bounded, the
 * query enforced once per access group, and a slot of this session's and this process's
 * taken (given back when the relay ends). Refusals are HttpProblems (400, 403, 429).
 */
export function prepareTail(a: {
  services: Services;
  scope: Scope;
  sid: string;
  query: LogsTailQuery;
  requestId: string;
  instance: string;
}): LogsTailRelay {
  const { services, query } = a;
  const ctx = lokiContext(services, a.scope);
  if (kindOf(query.query) !== 'LogExpr')
    refused({ error: 'a live tail takes a log query; metric queries cannot be tailed', position: 0 }, 'query.query');
  const start = tailStart(query.start, BigInt(Date.now()) * 1_000_000n);
  const per = enforceLogQLPerGroup(query.query, ctx.access);
  if ('error' in per) refused(per, 'query.query');

  let release: () => void;
  try {
    release = slotsFor(services).acquire(a.sid, per.queries.length);
  } catch (err) {
    if (err instanceof TooManyTails) throw new HttpProblem(429, err.message);
    throw err;
  }
  return new LogsTailRelay({
    loki: ctx.loki,
    parts: per.queries.map(({ group, query: q }) => {
      const access = { groups: [group] };
      return { query: q, access, orgIds: ctx.orgIds(access) };
    }),
    params: { start, limit: query.limit, delayForSeconds: query.delay_for },
    limits: LOGS_TAIL_LIMITS,
    requestId: a.requestId,
    instance: a.instance,
    onEnd: release,
  });
}

export const logsTailRoute = defineRoute({
  method: 'get',
  path: logsApiPaths.tail,
  permission: requires('viewLogs'),
  summary: "Live tail of a log query as Server-Sent Events, relaying Loki's tail once per access group (enforced, re-filtered, capped).",
  query: LogsTailQuery,
  handler: async ({ req, res, query, scope, sid, services, requestId }) => {
    const relay = prepareTail({ services, scope, sid, query, requestId, instance: req.path });
    // The browser may leave while Loki is still connecting: nothing stays open behind it.
    let gone = false;
    const left = () => {
      gone = true;
      relay.close();
    };
    res.once('close', left);
    try {
      // Opened before answering: if Loki cannot tail, the answer is a problem, not a stream.
      await relay.open();
    } catch (err) {
      if (gone) return;
      if (err instanceof LokiError) throw lokiProblem(err);
      throw err;
    } finally {
      res.off('close', left);
    }
    if (gone) return;
    if (!relay.stream(res)) throw new HttpProblem(502, 'Loki ended the live tail');
  },
});

export const logsScopeRoute = defineRoute({
  method: 'get',
  path: logsApiPaths.scope,
  permission: requires('viewLogs'),
  summary: "The caller's log scope: per access group the clusters, namespaces and the matchers ANDed into every stream selector.",
  handler: ({ res, scope, services }) => {
    const { access } = personLogAccess(services, scope);
    const groups: LogsScopeGroup[] = access.groups.map((g) => ({
      clusters: [...g.clusters],
      namespaces: g.namespaces === '*' ? '*' : [...g.namespaces],
      matchers: g.matchers.map((m) => m.text).join(', '),
    }));
    const known = new Set(services.inventory.snapshot().clusters.map((c) => c.name));
    const everywhere = access.groups.length === 1 && access.groups[0]!.namespaces === '*' ? new Set(access.groups[0]!.clusters) : undefined;
    const body: LogsScope = {
      groups,
      unrestricted: everywhere !== undefined && everywhere.size === known.size && [...known].every((c) => everywhere.has(c)),
    };
    res.json(body);
  },
});

export const logsRoutes = [logsTailRoute, logsScopeRoute];
