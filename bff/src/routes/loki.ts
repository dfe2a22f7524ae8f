import {
  LokiInstantQuery,
  LokiLabelParams,
  LokiLabelsQuery,
  LokiQueryRangeQuery,
  LokiSeriesQuery,
  LOKI_METADATA_LOOKBACK_SECONDS,
  lokiApiPaths,
  parseLokiDuration,
  parseLokiTime,
  resolveLokiRange,
  type LokiQueryData,
} from '@fleetdeck/shared';

import { enforceSelectorParam, splitLogAccess } from '../access/logql/index.ts';
import { asciiJson, asciiJsonBytes } from '../lib/ascii-json.ts';
import { sendJsonParts } from '../lib/json-parts.ts';
import { HttpProblem } from '../lib/problem.ts';
import type { LokiRangeParams, OrgIds } from '../sources/loki/loki-api.ts';
import { ScopeFilter, groupFilter, mergeStreams, uniqueLabelSets } from '../sources/loki/scoped-results.ts';
import { kindOf, lokiContext as context, logql, refused, upstream, type LokiCtx as Ctx } from './loki-context.ts';
import { defineRoute, requires } from './route.ts';

/**
 * A Loki-compatible read API (Loki's paths and envelopes under /api/loki), limited to
 * the person's log access: every query is rewritten by the LogQL enforcer, the tenant
 * header is the BFF's, and every answer is filtered by scope once more. Only these
 * five paths exist; index/volume, stats, patterns, detected_* and tail are 404.
 */

/** Loki refuses range queries with more points than this; we refuse them first. */
const MAX_POINTS = 11_000;
/** Per-group queries run at most this many at a time. */
const CONCURRENCY = 4;

/** `fn` over each item, at most CONCURRENCY at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

const success = (data: unknown) => ({ status: 'success', data });

/** Runs a log query once per access group and merges the streams; metric queries run once, enforced with `or` where needed. */
async function runQuery(
  ctx: Ctx,
  query: string,
  run: (query: string, orgIds: OrgIds) => Promise<LokiQueryData>,
  merge: { limit: number; direction: 'forward' | 'backward' },
): Promise<LokiQueryData> {
  if (kindOf(query) === 'LogExpr') {
    const per = logql.perGroup(query, ctx.access);
    if ('error' in per) refused(per, 'query.query');
    const parts = await mapLimited(per.queries, async ({ group, query: q }) => {
      const access = { groups: [group] };
      const data = groupFilter(group).queryData(await upstream(() => run(q, ctx.orgIds(access))));
      if (data.resultType !== 'streams') throw new HttpProblem(502, 'Loki answered a log query with something other than streams');
      return data.result;
    });
    return { resultType: 'streams', result: mergeStreams(parts, merge.limit, merge.direction) };
  }
  const enforced = logql.enforce(query, ctx.access);
  if ('error' in enforced) refused(enforced, 'query.query');
  return new ScopeFilter(ctx.access).queryData(await upstream(() => run(enforced.query, ctx.orgIds(ctx.access))));
}

/** Each selector enforced for each group; the lookup runs once per group and the answers are joined. */
async function perGroupLookup<R>(
  ctx: Ctx,
  selectors: readonly string[],
  path: string,
  lookup: (selectors: string[], orgIds: OrgIds, filter: ScopeFilter) => Promise<R>,
): Promise<R[]> {
  const groups = splitLogAccess(ctx.access).map((access) => ({
    access,
    selectors: selectors.map((s) => {
      const r = enforceSelectorParam(s, access);
      if ('error' in r) refused(r, path);
      return r.query;
    }),
  }));
  return mapLimited(groups, (g) => upstream(() => lookup(g.selectors, ctx.orgIds(g.access), new ScopeFilter(g.access))));
}

function span(q: { start?: string | undefined; end?: string | undefined }) {
  return resolveLokiRange(q, Date.now(), LOKI_METADATA_LOOKBACK_SECONDS);
}

export const lokiQueryRangeRoute = defineRoute({
  method: 'get',
  path: lokiApiPaths.queryRange,
  permission: requires('viewLogs'),
  summary: 'Loki query_range, limited to the log streams the caller may read (one query per access group, merged).',
  query: LokiQueryRangeQuery,
  handler: async ({ res, query, scope, services }) => {
    const ctx = context(services, scope);
    const { start, end } = resolveLokiRange(query, Date.now());
    const step = query.step === undefined ? undefined : parseLokiDuration(query.step)!;
    if (step !== undefined && Number(end - start) / 1e9 / step > MAX_POINTS)
      refused({ error: `the step is too small for this range: at most ${MAX_POINTS} points per series` }, 'query.step');
    const params = (q: string): LokiRangeParams => ({
      query: q,
      start,
      end,
      limit: query.limit,
      direction: query.direction,
      ...(query.step !== undefined && { step: query.step }),
      ...(query.interval !== undefined && { interval: query.interval }),
    });
    const spliced = await splicedLogQuery(ctx, query.query, params);
    if (spliced) {
      // Loki's bytes keep log lines as UTF-8: written in ASCII, as every other JSON answer (lib/ascii-json.ts).
      sendJsonParts(res, spliced.map(asciiJsonBytes));
      return;
    }
    const data = await runQuery(ctx, query.query, (q, orgIds) => ctx.loki.queryRange(params(q), orgIds), query);
    res.json(success(data));
  },
});

/**
 * A log query for a person with one access group (most people), answered with Loki's
 * own bytes: the same enforced query and the same scope filter as `runQuery`, applied to
 * each stream's labels while the answer is scanned, without parsing 5,000 lines into
 * objects and serialising them again. Undefined when that does not apply (a metric
 * query, several groups, a source without it) or Loki's answer was not exactly its
 * documented shape; the caller then takes the general path.
 */
async function splicedLogQuery(ctx: Ctx, query: string, params: (q: string) => LokiRangeParams): Promise<readonly Buffer[] | undefined> {
  const streams = ctx.loki.queryRangeStreams?.bind(ctx.loki);
  if (!streams || kindOf(query) !== 'LogExpr') return undefined;
  const per = logql.perGroup(query, ctx.access);
  if ('error' in per) refused(per, 'query.query');
  if (per.queries.length !== 1) return undefined;
  const { group, query: q } = per.queries[0]!;
  const filter = groupFilter(group);
  const answer = await upstream(() => streams(params(q), ctx.orgIds({ groups: [group] }), (labels) => filter.allows(labels, true)));
  if ('parts' in answer) return answer.parts;
  // Not Loki's plain shape: checked and filtered in full, as every other answer.
  const data = filter.queryData(answer);
  if (data.resultType !== 'streams') throw new HttpProblem(502, 'Loki answered a log query with something other than streams');
  return [
    Buffer.from(asciiJson(success({ resultType: 'streams', result: mergeStreams([data.result], params(q).limit, params(q).direction) }))),
  ];
}

export const lokiQueryRoute = defineRoute({
  method: 'get',
  path: lokiApiPaths.query,
  permission: requires('viewLogs'),
  summary: 'Loki instant query (metric queries), limited to the log streams the caller may read.',
  query: LokiInstantQuery,
  handler: async ({ res, query, scope, services }) => {
    const ctx = context(services, scope);
    if (kindOf(query.query) === 'LogExpr')
      refused({ error: 'log queries are not supported as an instant query; use query_range', position: 0 }, 'query.query');
    const time = query.time === undefined ? BigInt(Date.now()) * 1_000_000n : parseLokiTime(query.time)!;
    const data = await runQuery(
      ctx,
      query.query,
      (q, orgIds) => ctx.loki.query({ query: q, time, limit: query.limit, direction: query.direction }, orgIds),
      query,
    );
    res.json(success(data));
  },
});

export const lokiLabelsRoute = defineRoute({
  method: 'get',
  path: lokiApiPaths.labels,
  permission: requires('viewLogs'),
  summary: 'Loki label names of the streams a required selector (?query=) picks among those the caller may read.',
  query: LokiLabelsQuery,
  handler: async ({ res, query, scope, services }) => {
    const ctx = context(services, scope);
    const s = span(query);
    const answers = await perGroupLookup(ctx, [query.query], 'query.query', ([sel], orgIds) => ctx.loki.labels(sel!, s, orgIds));
    res.json(success([...new Set(answers.flat())].sort()));
  },
});

export const lokiLabelValuesRoute = defineRoute({
  method: 'get',
  path: lokiApiPaths.labelValues,
  permission: requires('viewLogs'),
  summary: 'Loki values of one label on the streams a required selector (?query=) picks; cluster and namespace values filtered by scope.',
  params: LokiLabelParams,
  query: LokiLabelsQuery,
  handler: async ({ res, params, query, scope, services }) => {
    const ctx = context(services, scope);
    const s = span(query);
    const answers = await perGroupLookup(ctx, [query.query], 'query.query', async ([sel], orgIds, filter) =>
      filter.labelValues(params.name, await ctx.loki.labelValues(params.name, sel!, s, orgIds)),
    );
    res.json(success([...new Set(answers.flat())].sort()));
  },
});

export const lokiSeriesRoute = defineRoute({
  method: 'get',
  path: lokiApiPaths.series,
  permission: requires('viewLogs'),
  summary: 'Loki series (label sets) of the streams the match[] selectors pick among those the caller may read.',
  query: LokiSeriesQuery,
  handler: async ({ res, query, scope, services }) => {
    const ctx = context(services, scope);
    const s = span(query);
    const match = query['match[]'];
    const selectors = typeof match === 'string' ? [match] : match;
    const answers = await perGroupLookup(ctx, selectors, 'query.match[]', async (sels, orgIds, filter) =>
      (await ctx.loki.series(sels, s, orgIds)).filter((labels) => filter.allows(labels, true)),
    );
    res.json(success(uniqueLabelSets(answers.flat())));
  },
});

export const lokiRoutes = [lokiQueryRangeRoute, lokiQueryRoute, lokiLabelsRoute, lokiLabelValuesRoute, lokiSeriesRoute];
