import { DEMO_USERS, type Scope } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it, vi } from 'vitest';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { enforcePromQL, MAX_OUTPUT_CHARS, promAccess } from '../../src/access/promql/index.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import {
  LATEST_PART,
  PART_LABEL,
  WORST_PART,
  lastStep,
  mergedBandQuery,
  mergedPanelQuery,
} from '../../src/sources/health/fleet-queries.ts';
import { panelAccesses } from '../../src/sources/health/panel-access.ts';
import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { QUERIES_PER_PANEL, mergedSummary, prometheusFleetPanel } from '../../src/sources/health/prometheus-fleet.ts';
import type { PromRow } from '../../src/sources/health/prometheus-panels.ts';
import { recordedQueries } from '../../src/sources/health/recording-rules.ts';
import type { PrometheusClient, QueryData, RawAnswer } from '../../src/sources/prometheus/prometheus-client.ts';

/** Every vector selector's matchers, from lezer's tree; throws on an error node. */
function selectors(q: string): string[][] {
  const out: string[][] = [];
  parser.parse(q).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`error node at ${ref.from} in ${q.slice(0, 200)}`);
      if (ref.name !== 'VectorSelector') return;
      const matchers: string[] = [];
      for (let c = ref.node.getChild('LabelMatchers')?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') matchers.push(q.slice(c.from, c.to));
      }
      out.push(matchers);
    },
  });
  return out;
}

const config = defaultHealthConfig();
const defs = builtinPanelDefs(config);
const recorded = recordedQueries(config);
/** 24 h ending on the 300 s grid, as resolveWindow gives a preset. */
const TO = 1_795_663_500;
const window = { from: TO - 86_400, to: TO, step: 300 };
const scopeOf = (user: string): Scope => {
  const u = DEMO_USERS.find((d) => d.user === user)!;
  return resolveScope({ user: u.user, groups: [...u.groups] }, DEFAULT_ACCESS_POLICY);
};

describe('the merged panel query', () => {
  it('is one query holding the five band figures, the latest values and the worst clusters, each part labelled', () => {
    const q = mergedPanelQuery('cluster:fleetdeck_cpu_cores:rate5m', 'higher', 5, window);
    for (const part of ['p50', 'p95', 'min', 'max', 'n', LATEST_PART, WORST_PART]) {
      expect(q).toContain(`"${PART_LABEL}", "${part}", "", ""`);
    }
    expect(q).toContain('quantile(0.5, (cluster:fleetdeck_cpu_cores:rate5m))');
    expect(q).toContain('quantile(0.95, (cluster:fleetdeck_cpu_cores:rate5m))');
    // The latest value only at the last step; the worst ranked there, the highest for CPU.
    expect(q).toContain(`on() (vector(time()) >= ${window.to - 150})`);
    expect(q).toContain(`topk(5, last_over_time((cluster:fleetdeck_cpu_cores:rate5m)[300s:300s] @ ${window.to}))`);
    expect(mergedPanelQuery('x', 'lower', 3, window)).toContain('bottomk(3, ');
    // No worst clusters asked for: no ranking part (bottomk(0, …) would be a wasted selector).
    expect(mergedPanelQuery('x', 'lower', 0, window)).not.toContain(WORST_PART);
    expect(selectors(q)).toHaveLength(8);
  });

  it('merges the five band figures into one query whose rows are told apart by their label', () => {
    const q = mergedBandQuery('cluster:fleetdeck_memory_working_set:bytes');
    expect(q).toBe(
      [
        'quantile(0.5, (cluster:fleetdeck_memory_working_set:bytes))',
        'quantile(0.95, (cluster:fleetdeck_memory_working_set:bytes))',
        'min((cluster:fleetdeck_memory_working_set:bytes))',
        'max((cluster:fleetdeck_memory_working_set:bytes))',
        'count((cluster:fleetdeck_memory_working_set:bytes))',
      ]
        .map((f, i) => `label_replace(${f}, "${PART_LABEL}", "${['p50', 'p95', 'min', 'max', 'n'][i]}", "", "")`)
        .join(' or '),
    );
    expect(selectors(q)).toHaveLength(5);
    expect(selectors(mergedBandQuery('time() - cluster:fleetdeck_last_successful_sync:timestamp'))).toHaveLength(5);
  });

  it('takes the table instant from the range grid: `to` for a whole number of steps, else the last step before it', () => {
    expect(lastStep(window)).toBe(window.to);
    expect(lastStep({ from: 100, to: 1000, step: 300 })).toBe(1000);
    expect(lastStep({ from: 100, to: 999, step: 300 })).toBe(700);
    expect(lastStep({ from: 0.5, to: 600.5, step: 60 })).toBe(600.5);
    expect(mergedPanelQuery('x', 'lower', 1, { from: 0.25, to: 600.25, step: 60 })).toContain('@ 600.25');
  });

  it('goes through the enforcer for every persona and recorded panel: every selector of the one query carries the scope', () => {
    const clusters = demoClusters(new Date('2026-11-25T12:00:00Z'));
    let checked = 0;
    for (const u of DEMO_USERS) {
      const accesses = panelAccesses(scopeOf(u.user), clusters);
      for (const d of defs) {
        const access = accesses[d.audience];
        if (access.groups.length === 0) continue;
        for (const q of [mergedBandQuery(recorded.get(d.id)!), mergedPanelQuery(recorded.get(d.id)!, d.worse, 5, window)]) {
          const out = enforcePromQL(q, access);
          if ('error' in out) throw new Error(`${u.user} ${d.id}: ${out.error}`);
          const after = selectors(out.query);
          expect(after.length, d.id).toBe(selectors(q).length * access.groups.length);
          for (const s of after) expect(access.groups.some((g) => g.matchers.every((m, i) => s[i] === m.text))).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('the merged answer', () => {
  const last = window.to;
  const band = (part: string, values: [number, number][]): PromRow => ({
    metric: { [PART_LABEL]: part },
    values: values.map(([t, v]) => [t, String(v)]),
  });
  const cluster = (part: string, name: string, values: [number, number][]): PromRow => ({
    metric: { __name__: 'cluster:x', cluster: name, [PART_LABEL]: part },
    values: values.map(([t, v]) => [t, String(v)]),
  });

  it('is taken apart into the band, the table at the last step and the worst clusters, ordered as the table ranks them', () => {
    const t0 = last - 300;
    const rows = [
      band('p50', [
        [t0, 0.5],
        [last, 0.6],
      ]),
      band('p95', [
        [t0, 0.9],
        [last, 0.95],
      ]),
      band('min', [
        [t0, 0.1],
        [last, 0.2],
      ]),
      band('max', [
        [t0, 1],
        [last, 1],
      ]),
      band('n', [
        [t0, 3],
        [last, 3],
      ]),
      cluster(LATEST_PART, 'c', [[last, 0.2]]),
      cluster(LATEST_PART, 'a', [[last, 1]]),
      cluster(LATEST_PART, 'b', [[last, 0.2]]),
      cluster(LATEST_PART, 'bad', [[last, Number.NaN]]),
      // Prometheus' pick, in its own order: the summary orders them lowest first, ties by name.
      cluster(WORST_PART, 'c', [
        [t0, 0.3],
        [last, 0.2],
      ]),
      cluster(WORST_PART, 'b', [
        [t0, 0.4],
        [last, 0.2],
      ]),
    ];
    const s = mergedSummary(rows, 'lower', 2, last);
    expect(s.band).toEqual([
      { t: t0, p50: 0.5, p95: 0.9, min: 0.1, max: 1, n: 3 },
      { t: last, p50: 0.6, p95: 0.95, min: 0.2, max: 1, n: 3 },
    ]);
    expect(s.table).toEqual([
      { cluster: 'a', value: 1, at: last },
      { cluster: 'b', value: 0.2, at: last },
      { cluster: 'c', value: 0.2, at: last },
    ]);
    expect(s.worst.map((w) => w.cluster)).toEqual(['b', 'c']);
    expect(s.worst[1]!.points).toEqual([
      [t0, 0.3],
      [last, 0.2],
    ]);
  });

  it('ignores rows that are no part of it (a band row with another label, a worst row without a cluster)', () => {
    const rows: PromRow[] = [
      { metric: { [PART_LABEL]: 'p50', cluster: 'x' }, values: [[last, '1']] },
      { metric: { [PART_LABEL]: WORST_PART }, values: [[last, '1']] },
      { metric: { cluster: 'y' }, values: [[last, '1']] },
    ];
    expect(mergedSummary(rows, 'higher', 5, last)).toEqual({ band: [], worst: [], table: [] });
  });
});

/** A Prometheus that records what it is asked: every cluster's latest value, and a matrix for any range query. */
function fakeClient(latest: Record<string, number>, matrix: PromRow[] = []) {
  const asked: string[] = [];
  const client = {
    rangeRaw: (q: string): Promise<RawAnswer<QueryData>> => {
      asked.push(q);
      return Promise.resolve({ data: { resultType: 'matrix', result: matrix as never }, warnings: [] });
    },
    instantRaw: (q: string, o: { time: number }): Promise<RawAnswer<QueryData>> => {
      asked.push(q);
      const result = Object.entries(latest).map(([cluster, v]) => ({
        metric: { cluster },
        value: [o.time, String(v)] as [number, string],
      }));
      return Promise.resolve({ data: { resultType: 'vector', result }, warnings: [] });
    },
  } as unknown as PrometheusClient; // only the two calls a panel makes
  return { client, asked };
}

describe('a panel over a recorded series', () => {
  const def = defs.find((d) => d.id === 'cpu')!;
  const w = { range: '24h' as const, ...window };
  const access = promAccess([{ clusters: ['mine', 'other'], namespaces: '*' }]);

  it('asks for the worst clusters as soon as the table is in, while the band is still on its way', async () => {
    let releaseBand: () => void = () => undefined;
    const bandHeld = new Promise<void>((r) => (releaseBand = r));
    const asked: string[] = [];
    let worstAskedBeforeBand = false;
    let bandDone = false;
    const client = {
      rangeRaw: async (q: string): Promise<RawAnswer<QueryData>> => {
        asked.push(q);
        if (q.includes('fleetdeck_part')) {
          await bandHeld;
          bandDone = true;
        } else worstAskedBeforeBand = !bandDone;
        return { data: { resultType: 'matrix', result: [] }, warnings: [] };
      },
      instantRaw: (_q: string, o: { time: number }): Promise<RawAnswer<QueryData>> =>
        Promise.resolve({ data: { resultType: 'vector', result: [{ metric: { cluster: 'mine' }, value: [o.time, '2'] }] }, warnings: [] }),
    } as unknown as PrometheusClient; // only the two calls a panel makes
    const summary = prometheusFleetPanel(client, def, recorded.get('cpu')!, access, w, 5);
    await vi.waitFor(() => expect(asked.filter((q) => !q.includes('fleetdeck_part'))).toHaveLength(1));
    expect(worstAskedBeforeBand).toBe(true);
    releaseBand();
    expect((await summary).worst.map((x) => x.cluster)).toEqual(['mine']);
  });

  it('costs the queries its plan says, each enforced: 3 by default, 1 merged whole, 7 per figure', async () => {
    for (const plan of ['band', 'single', 'perFigure'] as const) {
      const { client, asked } = fakeClient({ mine: 2, other: 1 });
      await prometheusFleetPanel(client, def, recorded.get('cpu')!, access, w, 5, { plan });
      expect(asked, plan).toHaveLength(QUERIES_PER_PANEL[plan]);
      for (const q of asked)
        expect(
          selectors(q).every((m) => m[0] === 'cluster=~"mine|other"'),
          q,
        ).toBe(true);
    }
  });

  it('keeps the answer filter: a cluster outside the scope in the upstream answer is dropped', async () => {
    const mine = promAccess([{ clusters: ['mine'], namespaces: '*' }]);
    const { client } = fakeClient({}, [
      { metric: { cluster: 'mine', [PART_LABEL]: LATEST_PART }, values: [[window.to, '2']] },
      { metric: { cluster: 'theirs', [PART_LABEL]: LATEST_PART }, values: [[window.to, '9']] },
    ]);
    const s = await prometheusFleetPanel(client, def, recorded.get('cpu')!, mine, w, 5, { plan: 'single' });
    expect(s.table.map((r) => r.cluster)).toEqual(['mine']);
  });

  it('falls back to a query per figure when the merged band is too large for the enforcer, each still enforced', async () => {
    // Enough clusters that five copies of their matcher pass the enforcer's output cap, one copy does not;
    // names with no common prefix, so the matcher's prefix tree (re2.ts) cannot shorten them much.
    const names = Array.from(
      { length: Math.ceil(MAX_OUTPUT_CHARS / 5 / 10) + 10 },
      (_, i) => `${(Math.imul(i + 1, 2654435761) >>> 0).toString(16).padStart(8, '0')}-${String(i).padStart(5, '0')}`,
    );
    const many = promAccess([{ clusters: names, namespaces: '*' }]);
    expect(enforcePromQL(mergedBandQuery(recorded.get('cpu')!), many)).toHaveProperty('error');
    expect(enforcePromQL(recorded.get('cpu')!, many)).not.toHaveProperty('error');
    const { client, asked } = fakeClient({ [names[1]!]: 1 });
    const s = await prometheusFleetPanel(client, def, recorded.get('cpu')!, many, w, 5);
    expect(asked).toHaveLength(QUERIES_PER_PANEL.perFigure);
    expect(s.table.map((r) => r.cluster)).toEqual([names[1]]);
    // Every selector carries the scope, or (the worst clusters' query) the scope cut to the table's one cluster.
    const scopes = [
      many.groups[0]!.matchers[0]!.text,
      promAccess([{ clusters: [names[1]!], namespaces: '*' }]).groups[0]!.matchers[0]!.text,
    ];
    for (const q of asked)
      expect(
        selectors(q).every((m) => scopes.includes(m[0]!)),
        q.slice(0, 80),
      ).toBe(true);
  });
});
