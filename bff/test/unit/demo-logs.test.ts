import { DEMO_USERS, compileGlob, type Cluster } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { describe, expect, it } from 'vitest';

import { enforceLogQL, logAccessFor } from '../../src/access/logql/index.ts';
import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { DemoLogSource } from '../../src/sources/demo/logs/demo-log-source.ts';
import { LokiError } from '../../src/sources/loki/loki-client.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const NOW_NS = BigInt(NOW) * 1_000_000n;
const HOUR = 3_600_000_000_000n;
const fleet = demoClusters(new Date(NOW));
const source = (clusters: readonly Cluster[] = fleet, now = () => NOW) => new DemoLogSource({ clusters: () => clusters, now });

type Streams = { stream: Record<string, string>; values: [string, string][] }[];
const streams = async (
  src: DemoLogSource,
  query: string,
  extra: Partial<{ start: bigint; end: bigint; limit: number; direction: 'forward' | 'backward' }> = {},
) => {
  const data = await src.queryRange({ query, start: NOW_NS - HOUR, end: NOW_NS, limit: 100, direction: 'backward', ...extra }, undefined);
  if (data.resultType !== 'streams') throw new Error(`expected streams, got ${data.resultType}`);
  return data.result as Streams;
};
const times = (result: Streams) => result.flatMap((s) => s.values.map((v) => BigInt(v[0])));

describe('demo logs: streams and labels', () => {
  it('labels each stream with cluster, namespace, pod, container, app and level, over every demo cluster', async () => {
    const src = source();
    const span = { start: NOW_NS - HOUR, end: NOW_NS };
    expect(await src.labels('{cluster=~".+"}', span, undefined)).toEqual(['app', 'cluster', 'container', 'level', 'namespace', 'pod']);
    expect(await src.labelValues('cluster', '{cluster=~".+"}', span, undefined)).toEqual(fleet.map((c) => c.name).sort());
    expect(await src.labelValues('level', '{cluster=~".+"}', span, undefined)).toEqual(['debug', 'error', 'info', 'warn']);
    expect(await src.labelValues('namespace', '{cluster="client-a-staging"}', span, undefined)).toEqual([
      'client-a-apps',
      'client-a-data',
      'client-a-jobs',
      'client-a-web',
      'kube-system',
    ]);
    const series = await src.series(['{cluster="edge-retail-001", app="api"}'], span, undefined);
    expect(series.length).toBeGreaterThan(0);
    for (const s of series)
      expect(s).toMatchObject({ cluster: 'edge-retail-001', namespace: 'client-a-apps', app: 'api', container: 'api' });
  });

  it('writes JSON, logfmt and plain lines, with the level in the line as in the label', async () => {
    const src = source();
    const json = await streams(src, '{cluster="prod-us-east", app="api"} | json | __error__=""', { limit: 50 });
    expect(json.length).toBeGreaterThan(0);
    for (const s of json) expect(s.stream.level_extracted).toBe(s.stream.level);
    const logfmt = await streams(src, '{cluster="prod-us-east", app="worker"} | logfmt | __error__=""', { limit: 50 });
    for (const s of logfmt) expect(s.stream.level_extracted).toBe(s.stream.level);
    const plain = await streams(src, '{cluster="prod-us-east", app="web", level="info"}', { limit: 5 });
    expect(plain.flatMap((s) => s.values.map((v) => v[1]))[0]).toMatch(/^10\.42\.\d+\.\d+ - - \[.+\] "GET \//);
  });

  it('tells of the failing rollout in client-b’s staging with errors there', async () => {
    const src = source();
    const lines = (await streams(src, '{cluster="client-b-staging", level="error"}', { limit: 20 })).flatMap((s) =>
      s.values.map((v) => v[1]),
    );
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('ImagePullBackOff'))).toBe(true);
    const elsewhere = await streams(src, '{cluster="prod-eu-west", level="error"} |= "ImagePullBackOff"');
    expect(elsewhere).toEqual([]);
  });
});

describe('demo logs: determinism', () => {
  it('two sources (two starts of the demo) answer the same query identically', async () => {
    const q = '{namespace=~"client-a-.+"} |= "level"';
    expect(await streams(source(), q, { limit: 200 })).toEqual(await streams(source(), q, { limit: 200 }));
  });
  it('a line once written stays the same when asked later (time passing adds lines, changes none)', async () => {
    const earlier = await streams(source(), '{cluster="prod-asia"}', { limit: 1000, end: NOW_NS - HOUR / 2n });
    const later = await streams(
      source(fleet, () => NOW + 600_000),
      '{cluster="prod-asia"}',
      { limit: 1000, end: NOW_NS - HOUR / 2n },
    );
    expect(later).toEqual(earlier);
  });
  it('nothing exists after now', async () => {
    const result = await streams(source(), '{cluster=~".+"}', { end: NOW_NS + HOUR, limit: 500 });
    expect(times(result).every((t) => t <= NOW_NS)).toBe(true);
  });
});

describe('demo logs: limit and direction', () => {
  it('backward (default) returns the newest `limit` lines, each stream newest first', async () => {
    const src = source();
    const all = times(await streams(src, '{namespace="client-a-apps"}', { limit: 5000 })).sort((a, b) => (a > b ? -1 : 1));
    const result = await streams(src, '{namespace="client-a-apps"}', { limit: 7 });
    expect(times(result).sort((a, b) => (a > b ? -1 : 1))).toEqual(all.slice(0, 7));
    for (const s of result)
      expect(s.values.map((v) => BigInt(v[0]))).toEqual([...s.values.map((v) => BigInt(v[0]))].sort((a, b) => (a > b ? -1 : 1)));
  });
  it('forward returns the oldest `limit` lines, each stream oldest first', async () => {
    const src = source();
    const all = times(await streams(src, '{namespace="client-a-apps"}', { limit: 5000 })).sort((a, b) => (a < b ? -1 : 1));
    const result = await streams(src, '{namespace="client-a-apps"}', { limit: 7, direction: 'forward' });
    expect(times(result).sort((a, b) => (a < b ? -1 : 1))).toEqual(all.slice(0, 7));
    for (const s of result)
      expect(s.values.map((v) => BigInt(v[0]))).toEqual([...s.values.map((v) => BigInt(v[0]))].sort((a, b) => (a < b ? -1 : 1)));
  });
  it('only entries in [start, end)', async () => {
    const start = NOW_NS - HOUR / 4n;
    const end = NOW_NS - HOUR / 8n;
    const t = times(await streams(source(), '{cluster="prod-us-west"}', { start, end, limit: 5000 }));
    expect(t.length).toBeGreaterThan(0);
    expect(t.every((x) => x >= start && x < end)).toBe(true);
  });
});

describe('demo logs: only matching streams', () => {
  it('each persona’s enforced query reads only their clusters and namespaces', async () => {
    const src = source();
    for (const u of DEMO_USERS) {
      const scope = resolveScope({ user: u.user, groups: [...u.groups] }, DEFAULT_ACCESS_POLICY);
      const access = logAccessFor(scope, fleet);
      const allowed = new Map(access.groups.flatMap((g) => g.clusters.map((c) => [c, g.namespaces] as const)));
      const enforced = enforceLogQL('{cluster=~".+"}', access);
      if ('error' in enforced) throw new Error(`${u.user}: ${enforced.error}`);
      const result = await streams(src, enforced.query, { limit: 2000 });
      expect(result.length, u.user).toBeGreaterThan(0);
      for (const s of result) {
        const namespaces = allowed.get(s.stream.cluster!);
        expect(namespaces, `${u.user} read ${s.stream.cluster}`).toBeDefined();
        if (namespaces !== '*') expect(namespaces!.some((g) => compileGlob(g)(s.stream.namespace!))).toBe(true);
      }
      if (u.user === 'client-a-dev@demo') {
        expect(new Set(result.map((s) => s.stream.cluster))).toEqual(new Set(['client-a-staging']));
        expect(result.some((s) => s.stream.namespace === 'kube-system')).toBe(false);
      }
    }
  });
  it('label filters after a parser do not select streams: a pipeline `| cluster="…"` cannot reach another cluster', async () => {
    const result = await streams(source(), '{cluster="client-a-staging"} | logfmt | cluster="prod-eu-west"');
    expect(result).toEqual([]);
  });
  it('with tenant org ids configured, a query for one org reads only that tenant’s clusters', async () => {
    const src = new DemoLogSource({ clusters: () => fleet, now: () => NOW, tenantOrgIds: { 'client-a': 'org-a', 'client-b': 'org-b' } });
    const data = await src.queryRange({ query: '{cluster=~".+"}', start: NOW_NS - HOUR, end: NOW_NS, limit: 2000, direction: 'backward' }, [
      'org-b',
    ]);
    const tenants = new Set((data.result as Streams).map((s) => fleet.find((c) => c.name === s.stream.cluster)!.tenant));
    expect(tenants).toEqual(new Set(['client-b']));
  });
});

describe('demo logs: metric queries', () => {
  it('log volume by level over a range, oldest first, counts agreeing with the lines', async () => {
    const src = source();
    const data = await src.queryRange(
      {
        query: 'sum by (level) (count_over_time({cluster="prod-us-east"}[10m]))',
        start: NOW_NS - HOUR,
        end: NOW_NS,
        limit: 100,
        direction: 'backward',
        step: '600',
      },
      undefined,
    );
    if (data.resultType !== 'matrix') throw new Error('matrix');
    expect(new Set(data.result.map((r) => r.metric.level))).toEqual(new Set(['info', 'warn', 'error']));
    const info = data.result.find((r) => r.metric.level === 'info')!;
    expect(info.values.map((v) => v[0])).toEqual([...info.values.map((v) => v[0])].sort((a, b) => a - b));
    // The last bucket (NOW - 10m, NOW] holds exactly the info lines a log query returns there.
    const lines = await streams(src, '{cluster="prod-us-east", level="info"}', {
      start: NOW_NS - HOUR / 6n + 1n,
      end: NOW_NS + 1n,
      limit: 5000,
    });
    expect(info.values.at(-1)![1]).toBe(String(times(lines).length));
    // With a pipeline the lines are read; the count is the same.
    const piped = await src.query(
      {
        query: 'sum(count_over_time({cluster="prod-us-east", level="info"} |= "" [10m]))',
        time: NOW_NS,
        limit: 100,
        direction: 'backward',
      },
      undefined,
    );
    if (piped.resultType !== 'vector') throw new Error('vector');
    expect(piped.result[0]!.value[1]).toBe(String(times(lines).length));
  });
  it('refuses what the evaluator does not support like a Loki 4xx (LokiError "refused")', async () => {
    const err = await source()
      .queryRange(
        { query: '{cluster="prod-asia"} | unpack', start: NOW_NS - HOUR, end: NOW_NS, limit: 10, direction: 'backward' },
        undefined,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect(err).toMatchObject({ kind: 'refused' });
  });
});
