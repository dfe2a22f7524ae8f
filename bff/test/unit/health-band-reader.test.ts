import { describe, expect, it } from 'vitest';

import { promAccess } from '../../src/access/promql/index.ts';
import { BandReader, recordedFleetBand } from '../../src/sources/health/recorded-fleet-band.ts';
import type { FleetBandRecord } from '../../src/sources/health/recording-rules.ts';
import {
  PrometheusQueryError,
  type PrometheusClient,
  type QueryData,
  type RawAnswer,
} from '../../src/sources/prometheus/prometheus-client.ts';

const FIGURES = ['p50', 'p95', 'min', 'max', 'n'];
const cpu: FleetBandRecord = { series: 'cluster:cpu:rate5m', query: 'fleet:cpu:rate5m_band' };
const memory: FleetBandRecord = { series: 'cluster:memory:bytes', query: 'fleet:memory:bytes_band' };
const pods: FleetBandRecord = { series: 'cluster:pods:ratio', query: 'fleet:pods:ratio_band' };
const age: FleetBandRecord = {
  series: 'cluster:sync:timestamp',
  query: '(time() - fleet:sync:timestamp_band{fleetdeck_part!="n"}) or fleet:sync:timestamp_band{fleetdeck_part="n"}',
};
const BANDS = [cpu, memory, pods, age].map((r) => r.query.match(/fleet:[a-z:0-9_]+_band/)![0]);
const window = { range: '6h' as const, from: 1000, to: 1600, step: 300 };

/** Unquotes a PromQL string and anchors its RE2 (these names need nothing JS reads differently). */
const anchored = (quoted: string) => new RegExp(`^(?:${JSON.parse(quoted) as string})$`);

/**
 * A Prometheus holding the four recorded bands (five figure rows each) and, per per-cluster series,
 * the clusters the store holds; it records every call in order.
 */
function upstream(clusters: Record<string, string[]>, options: { refuse?: (q: string) => boolean } = {}) {
  const calls: string[] = [];
  const matcherCounts: number[] = [];
  const rows = (name: string) =>
    FIGURES.map((f) => ({
      metric: { __name__: name, fleetdeck_part: f },
      values: [[1200, '1'] as [number, string], [1500, '2'] as [number, string]],
    }));
  const client = {
    rangeRaw: (query: string): Promise<RawAnswer<QueryData>> => {
      calls.push(`range ${query}`);
      if (options.refuse?.(query)) return Promise.reject(new PrometheusQueryError('Prometheus refused the query', 'no'));
      const merged = /^\{__name__=~("(?:[^"\\]|\\.)*")\}$/.exec(query);
      const names = merged ? BANDS.filter((b) => anchored(merged[1]!).test(b)) : BANDS.filter((b) => query.includes(b)).slice(0, 1);
      // A row without a metric object, as a broken upstream might send: named by nothing, never a figure.
      const junk = merged ? [{ metric: null, values: [] }] : [];
      return Promise.resolve({ data: { resultType: 'matrix', result: [...names.flatMap(rows), ...junk] as never }, warnings: [] });
    },
    labelValuesRaw: (_name: string, matchers: readonly string[]): Promise<RawAnswer<string[]>> => {
      // A selector on the name stands for every series it matches; a bare name for itself.
      const names = matchers.flatMap((m) => {
        const merged = /^\{__name__=~("(?:[^"\\]|\\.)*")\}$/.exec(m);
        return merged ? Object.keys(clusters).filter((n) => anchored(merged[1]!).test(n)) : [m];
      });
      matcherCounts.push(matchers.length);
      calls.push(`clusters ${[...names].sort().join(' ')}`);
      return Promise.resolve({ data: [...new Set(names.flatMap((m) => clusters[m] ?? []))].sort(), warnings: [] });
    },
  } as unknown as PrometheusClient; // the two calls a recorded band makes
  return { client, calls, matcherCounts };
}

const everywhere = { [cpu.series]: ['a', 'b'], [memory.series]: ['a', 'b'], [pods.series]: ['a', 'b'], [age.series]: ['a', 'b'] };

describe('the recorded band reader', () => {
  it('reads the bands named alone in one turn as ONE range query, then checks them with ONE label-values call, after the read', async () => {
    const { client, calls, matcherCounts } = upstream(everywhere);
    const reader = new BandReader(client);
    const read = await Promise.all([cpu, memory, pods, age].map((r) => reader.read(r, window)));
    // One selector per check: Prometheus answers a single match[] from its index.
    expect(matcherCounts).toEqual([1, 1]);
    expect(read.every((b) => b !== undefined && b.band.length === 2 && b.clusters.join() === 'a,b')).toBe(true);
    const merged = calls.indexOf(calls.find((c) => c.startsWith('range {__name__=~'))!);
    const check = calls.indexOf(`clusters ${[cpu.series, memory.series, pods.series].sort().join(' ')}`);
    expect(merged).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(merged);
    // The age panel's band is an expression: read and checked on its own.
    expect(calls.filter((c) => c.startsWith('range (time()'))).toHaveLength(1);
    expect(calls).toContain(`clusters ${age.series}`);
    expect(calls).toHaveLength(4);
  });

  it('checks against the union of the read series’ clusters: a foreign cluster behind any of them refuses all', async () => {
    const { client } = upstream({ ...everywhere, [memory.series]: ['a', 'b', 'foreign'] });
    const reader = new BandReader(client);
    const access = promAccess([{ clusters: ['a', 'b'], namespaces: '*' }]);
    const [forCpu, forMemory] = await Promise.all([
      recordedFleetBand(client, cpu, access, window, undefined, reader),
      recordedFleetBand(client, memory, access, window, undefined, reader),
    ]);
    expect(forCpu).toBeUndefined();
    expect(forMemory).toBeUndefined();
    // On its own, the cpu band's series holds only their clusters: it would be shown.
    expect(await recordedFleetBand(client, cpu, access, window)).toBeDefined();
  });

  it('reads and checks each band on its own when the merged read fails, or when it comes alone or for another window', async () => {
    const failing = upstream(everywhere, { refuse: (q) => q.startsWith('{__name__') });
    const reader = new BandReader(failing.client);
    const both = await Promise.all([reader.read(cpu, window), reader.read(memory, window)]);
    expect(both.every((b) => b !== undefined)).toBe(true);
    expect(failing.calls.filter((c) => c.startsWith('range fleet:'))).toHaveLength(2);
    expect(failing.calls.filter((c) => c.startsWith('clusters ')).sort()).toEqual(
      [`clusters ${cpu.series}`, `clusters ${memory.series}`].sort(),
    );

    const { client, calls } = upstream(everywhere);
    const apart = new BandReader(client);
    await Promise.all([apart.read(cpu, window), apart.read(memory, { ...window, from: 700 })]);
    await apart.read(pods, window);
    expect(calls.filter((c) => c.includes('__name__'))).toEqual([]);
    expect(calls).toHaveLength(6);
  });
});
