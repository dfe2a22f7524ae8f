import { describe, expect, it } from 'vitest';

import { promAccess } from '../../src/access/promql/index.ts';
import { TableBatcher } from '../../src/sources/health/table-batch.ts';
import {
  PrometheusQueryError,
  type PrometheusClient,
  type QueryData,
  type RawAnswer,
} from '../../src/sources/prometheus/prometheus-client.ts';

/** Recorded series → cluster → value. */
const STORE: Record<string, Record<string, number>> = {
  'cluster:cpu:rate5m': { 'client-a-dev': 1, 'client-a-prod': 2, 'client-b-prod': 3 },
  'cluster:memory:bytes': { 'client-a-dev': 10, 'client-a-prod': 20, 'client-b-prod': 30 },
  'cluster:pods:ratio': { 'client-a-dev': 0.5, 'client-b-prod': 0.9 },
};

/** Unquotes a PromQL string and anchors its RE2 as Prometheus does (these names need nothing JS reads differently). */
const anchored = (quoted: string) => new RegExp(`^(?:${JSON.parse(quoted) as string})$`);

/**
 * A Prometheus that evaluates the two selector shapes a table asks with — `name{cluster=~"…"}`
 * and `{__name__=~"…",cluster=~"…"}` — over STORE, honouring both matchers, and records each query.
 */
function upstream(options: { refuse?: (query: string) => boolean } = {}) {
  const sent: string[] = [];
  const client = {
    instantRaw: (query: string, o: { time: number }): Promise<RawAnswer<QueryData>> => {
      sent.push(query);
      if (options.refuse?.(query)) return Promise.reject(new PrometheusQueryError('Prometheus refused the query', 'nope'));
      const m = /^([a-zA-Z0-9_:]*)\{(.*)\}$/.exec(query);
      if (!m) return Promise.reject(new Error(`unexpected query ${query}`));
      const matchers = new Map([...m[2]!.matchAll(/(\w+)=~("(?:[^"\\]|\\.)*")/g)].map(([, label, value]) => [label!, anchored(value!)]));
      const nameRe = matchers.get('__name__');
      const names = m[1] ? (n: string) => n === m[1] : (n: string) => nameRe?.test(n) === true;
      const clusters = matchers.get('cluster');
      if (!clusters) return Promise.reject(new Error(`no scope in ${query}`));
      const result = Object.entries(STORE)
        .filter(([name]) => names(name))
        .flatMap(([name, byCluster]) =>
          Object.entries(byCluster)
            .filter(([c]) => clusters.test(c))
            .map(([cluster, v]) => ({ metric: { __name__: name, cluster }, value: [o.time, String(v)] as [number, string] })),
        );
      return Promise.resolve({ data: { resultType: 'vector', result }, warnings: ['partial: store x'] });
    },
  } as unknown as PrometheusClient; // the one call a table makes
  return { client, sent };
}

const clientA = promAccess([{ clusters: ['client-a-dev', 'client-a-prod'], namespaces: '*' }]);
const clientB = promAccess([{ clusters: ['client-b-prod'], namespaces: '*' }]);
const clustersOf = (a: { rows: readonly { metric: Record<string, string> }[] }) =>
  a.rows.map((r) => `${r.metric.__name__} ${r.metric.cluster}`);

describe('the table batcher', () => {
  it('asks for the tables of one turn, one instant and one scope as ONE enforced selector, and gives each series its own rows', async () => {
    const { client, sent } = upstream();
    const batch = new TableBatcher(client);
    const [cpu, memory, pods] = await Promise.all(
      ['cluster:cpu:rate5m', 'cluster:memory:bytes', 'cluster:pods:ratio'].map((s) => batch.table(s, clientA, 1000)),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^\{cluster=~"[^"]+",__name__=~"[^"]+"\}$/);
    expect(sent[0]).toContain(clientA.groups[0]!.matchers[0]!.text);
    expect(clustersOf(cpu!)).toEqual(['cluster:cpu:rate5m client-a-dev', 'cluster:cpu:rate5m client-a-prod']);
    expect(clustersOf(memory!)).toEqual(['cluster:memory:bytes client-a-dev', 'cluster:memory:bytes client-a-prod']);
    expect(clustersOf(pods!)).toEqual(['cluster:pods:ratio client-a-dev']);
    expect(cpu!.warnings).toEqual(['partial: store x']);
  });

  it("never answers one scope with another's rows: two scopes in one turn are two queries, each under its own matcher", async () => {
    const { client, sent } = upstream();
    const batch = new TableBatcher(client);
    const [a1, b1, a2, b2] = await Promise.all([
      batch.table('cluster:cpu:rate5m', clientA, 1000),
      batch.table('cluster:cpu:rate5m', clientB, 1000),
      batch.table('cluster:memory:bytes', clientA, 1000),
      batch.table('cluster:memory:bytes', clientB, 1000),
    ]);
    expect(sent).toHaveLength(2);
    expect(sent.filter((q) => q.includes(clientA.groups[0]!.matchers[0]!.text))).toHaveLength(1);
    expect(sent.filter((q) => q.includes(clientB.groups[0]!.matchers[0]!.text))).toHaveLength(1);
    expect([...clustersOf(a1), ...clustersOf(a2)].every((r) => r.includes('client-a-'))).toBe(true);
    expect([...clustersOf(b1), ...clustersOf(b2)]).toEqual(['cluster:cpu:rate5m client-b-prod', 'cluster:memory:bytes client-b-prod']);
  });

  it('asks on its own what comes alone, in a later turn, or for another instant', async () => {
    const { client, sent } = upstream();
    const batch = new TableBatcher(client);
    await batch.table('cluster:cpu:rate5m', clientA, 1000);
    expect(sent).toEqual([`cluster:cpu:rate5m{${clientA.groups[0]!.matchers[0]!.text}}`]);
    await Promise.all([batch.table('cluster:cpu:rate5m', clientA, 1000), batch.table('cluster:memory:bytes', clientA, 2000)]);
    expect(sent).toHaveLength(3);
    expect(sent.slice(1).every((q) => !q.includes('__name__'))).toBe(true);
  });

  it('asks each series on its own when the merged query fails, so each panel gets its own answer or error', async () => {
    const { client, sent } = upstream({ refuse: (q) => q.includes('__name__') || q.startsWith('cluster:pods:ratio') });
    const batch = new TableBatcher(client);
    const [cpu, pods] = await Promise.allSettled([
      batch.table('cluster:cpu:rate5m', clientA, 1000),
      batch.table('cluster:pods:ratio', clientA, 1000),
    ]);
    expect(sent).toHaveLength(3);
    expect(cpu.status === 'fulfilled' && clustersOf(cpu.value)).toEqual([
      'cluster:cpu:rate5m client-a-dev',
      'cluster:cpu:rate5m client-a-prod',
    ]);
    expect(pods.status).toBe('rejected');
    expect(pods.status === 'rejected' && (pods.reason as Error).message).toContain('refused');
  });

  it('takes bare series names only', () => {
    const { client } = upstream();
    expect(() => new TableBatcher(client).table('time() - x', clientA, 1)).toThrow(RangeError);
  });
});
