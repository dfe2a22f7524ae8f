import type { Request, Response } from 'express';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';

import {
  PromInstantQuery,
  PromLabelParams,
  PromLabelsQuery,
  PromRangeQuery,
  PromRawParams,
  PromSeriesQuery,
  promApiPaths,
  type Scope,
} from '@fleetdeck/shared';

import {
  checkLabelNames,
  filterLabelValues,
  filterQueryData,
  filterSeriesData,
  viewFor,
  type View,
} from '../access/promql/answer-filter.ts';
import { enforceMatchers, enforcePromQL, promAccessFor } from '../access/promql/index.ts';
import { HttpProblem, badRequestFromZod } from '../lib/problem.ts';
import {
  type PrometheusClient,
  PrometheusError,
  PrometheusQueryError,
  safeQueryError,
  type RawAnswer,
} from '../sources/prometheus/prometheus-client.ts';
import { defineRoute, requires, type AnyRoute, type Services } from './route.ts';

/**
 * The tenant-safe, Prometheus-compatible API (ARCHITECTURE §3 Health, §4.5, §4.7): Grafana or
 * any Prometheus client can point at `/api/prom`. Five endpoints, GET or form POST; nothing
 * else under `/api/prom` exists (the generic `/api` 404 answers it).
 *
 * Every query is limited by the PromQL enforcer before it leaves (`cluster` and, for
 * namespace-limited people, `namespace` ANDed into every selector; `match[]` likewise; label
 * APIs without `match[]` get one per allowed group), and every answer is filtered again
 * before it leaves the BFF: series of a cluster, or a namespace, the person may not see are
 * dropped, whatever the upstream said.
 */
export const PROMQL_PROBLEM = 'https://fleetdeck.dev/problems/promql';

const NOT_CONFIGURED = 'no Prometheus configured';

interface RunArgs<Q, Pa> {
  q: Q;
  params: Pa;
  scope: Scope;
  services: Services;
}

function viewOf(scope: Scope, services: Services): View {
  return viewFor(promAccessFor(scope, services.inventory.snapshot().clusters));
}

/** The configured Prometheus; never in demo mode (the demo never reaches a real system). */
function prometheusOf(services: Services): PrometheusClient {
  if (!services.prometheus) throw new HttpProblem(503, NOT_CONFIGURED);
  return services.prometheus;
}

function promqlProblem(error: { error: string; position?: number; index?: number }, where: string): HttpProblem {
  const path = error.index === undefined ? where : `${where}.${error.index}`;
  return new HttpProblem(400, error.error, {
    type: PROMQL_PROBLEM,
    errors: [{ path, message: error.error, ...(error.position !== undefined && { position: error.position }) }],
  });
}

function enforceQuery(query: string, view: View): string {
  const enforced = enforcePromQL(query, view.access);
  if ('error' in enforced) throw promqlProblem(enforced, 'query');
  return enforced.query;
}

function enforceMatch(matchers: readonly string[] | undefined, view: View): string[] {
  const enforced = enforceMatchers(matchers ?? [], view.access);
  if ('error' in enforced) throw promqlProblem(enforced, 'match[]');
  return enforced.matchers;
}

/** Upstream failures as problems: the client's messages are safe; Prometheus' own words only when about the query. */
async function upstream<T>(call: () => Promise<RawAnswer<T>>): Promise<RawAnswer<T>> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PrometheusQueryError) {
      const detail = err.promMessage
        ? `Prometheus refused the query (as limited to your scope): ${err.promMessage}`
        : 'Prometheus refused the query (as limited to your scope)';
      throw new HttpProblem(400, detail, { type: PROMQL_PROBLEM });
    }
    if (err instanceof PrometheusError) throw new HttpProblem(502, err.message);
    throw err;
  }
}

const PARTIAL = 'some of the data could not be read; the answer may be incomplete';

/** Prometheus' PromQL notes pass; anything else (Thanos partial responses name stores) becomes one generic line. */
export function safeWarnings(warnings: readonly string[]): string[] {
  const out = new Set<string>();
  for (const w of warnings) out.add(/^PromQL (info|warning): /.test(w) && safeQueryError(w) !== undefined ? w : PARTIAL);
  return [...out];
}

function send(res: Response, answer: { data: unknown; warnings: readonly string[] }): void {
  const warnings = safeWarnings(answer.warnings);
  res.json({ status: 'success', data: answer.data, ...(warnings.length > 0 && { warnings }) });
}

/**
 * A form POST's parameters, from exactly one place each: a parameter both in the URL and in
 * the body is refused (two readers could otherwise disagree about which query ran).
 */
function oneSource(req: Request, query: PromRawParams, body: PromRawParams | undefined): Record<string, unknown> {
  const bodyEntries = Object.entries(body ?? {});
  if (bodyEntries.length > 0 && !req.is('application/x-www-form-urlencoded')) {
    throw new HttpProblem(415, 'send the parameters as application/x-www-form-urlencoded');
  }
  for (const [key] of bodyEntries) {
    if (Object.hasOwn(query, key)) {
      throw new HttpProblem(400, `parameter "${key}" is both in the URL and in the body; send it in one place`, {
        type: 'https://fleetdeck.dev/problems/validation',
        errors: [{ path: `body.${key}`, message: 'also in the URL' }],
      });
    }
  }
  return Object.fromEntries([...Object.entries(query), ...bodyEntries]);
}

const RawBody = z.optional(PromRawParams);

/** One endpoint as two routes: GET with the parameters in the URL, POST with a form body (or split, never repeated). */
function endpoint<Q, Pa = Record<string, never>>(spec: {
  path: string;
  summary: string;
  query: $ZodType<Q>;
  params?: $ZodType<Pa>;
  run: (args: RunArgs<Q, Pa>) => Promise<{ data: unknown; warnings: readonly string[] }>;
}): AnyRoute[] {
  const get = defineRoute<ReturnType<typeof requires<'view'>>, Q, undefined, Pa>({
    method: 'get',
    path: spec.path,
    permission: requires('view'),
    summary: spec.summary,
    query: spec.query,
    ...(spec.params && { params: spec.params }),
    handler: async ({ res, query, params, scope, services }) => {
      send(res, await spec.run({ q: query, params, scope, services }));
    },
  });
  const post = defineRoute<ReturnType<typeof requires<'view'>>, PromRawParams, PromRawParams | undefined, Pa>({
    method: 'post',
    path: spec.path,
    permission: requires('view'),
    summary: `${spec.summary} (form POST)`,
    query: PromRawParams,
    body: RawBody,
    ...(spec.params && { params: spec.params }),
    handler: async ({ req, res, query, body, params, scope, services }) => {
      const parsed = z.safeParse(spec.query, oneSource(req, query, body));
      if (!parsed.success) throw badRequestFromZod('query', parsed.error);
      send(res, await spec.run({ q: parsed.data, params, scope, services }));
    },
  });
  return [get, post];
}

export const promRoutes: AnyRoute[] = [
  ...endpoint({
    path: promApiPaths.query,
    summary: 'Prometheus instant query, limited to the clusters (and namespaces) the caller may see.',
    query: PromInstantQuery,
    run: async ({ q, scope, services }) => {
      const client = prometheusOf(services);
      const view = viewOf(scope, services);
      const query = enforceQuery(q.query, view);
      const answer = await upstream(() => client.instantRaw(query, { ...(q.time !== undefined && { time: q.time }) }));
      return { data: filterQueryData(view, answer.data), warnings: answer.warnings };
    },
  }),
  ...endpoint({
    path: promApiPaths.queryRange,
    summary: 'Prometheus range query (at most 11,000 points per series), limited to what the caller may see.',
    query: PromRangeQuery,
    run: async ({ q, scope, services }) => {
      const client = prometheusOf(services);
      const view = viewOf(scope, services);
      const query = enforceQuery(q.query, view);
      const answer = await upstream(() => client.rangeRaw(query, q.start, q.end, q.step));
      return { data: filterQueryData(view, answer.data), warnings: answer.warnings };
    },
  }),
  ...endpoint({
    path: promApiPaths.series,
    summary: 'Prometheus series matching match[], limited to what the caller may see.',
    query: PromSeriesQuery,
    run: async ({ q, scope, services }) => {
      const client = prometheusOf(services);
      const view = viewOf(scope, services);
      const matchers = enforceMatch(q['match[]'], view);
      const answer = await upstream(() => client.seriesRaw(matchers, metadataOptions(q)));
      return { data: filterSeriesData(view, answer.data), warnings: answer.warnings };
    },
  }),
  ...endpoint({
    path: promApiPaths.labels,
    summary: 'Prometheus label names of the series the caller may see (optionally narrowed by match[]).',
    query: PromLabelsQuery,
    run: async ({ q, scope, services }) => {
      const client = prometheusOf(services);
      const view = viewOf(scope, services);
      const matchers = enforceMatch(q['match[]'], view);
      const answer = await upstream(() => client.labelsRaw(matchers, metadataOptions(q)));
      return { data: checkLabelNames(answer.data), warnings: answer.warnings };
    },
  }),
  ...endpoint({
    path: promApiPaths.labelValues,
    summary: "Prometheus values of one label on the series the caller may see; `cluster` lists only the caller's clusters.",
    query: PromLabelsQuery,
    params: PromLabelParams,
    run: async ({ q, params, scope, services }) => {
      const client = prometheusOf(services);
      const view = viewOf(scope, services);
      const matchers = enforceMatch(q['match[]'], view);
      const answer = await upstream(() => client.labelValuesRaw(params.name, matchers, metadataOptions(q)));
      return { data: filterLabelValues(view, params.name, answer.data), warnings: answer.warnings };
    },
  }),
];

function metadataOptions(q: { start?: number | undefined; end?: number | undefined; limit?: number | undefined }) {
  return {
    ...(q.start !== undefined && { start: q.start }),
    ...(q.end !== undefined && { end: q.end }),
    ...(q.limit !== undefined && { limit: q.limit }),
  };
}
