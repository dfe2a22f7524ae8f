import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { ViolationTrends, type Principal } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { feedPolicyMetrics, type PolicyFeed, type PolicyFigure } from '../../../testbed/src/prom/policy-metrics.ts';
import { CLUSTER_WIDE_TRENDS } from '../../src/access/violations/violation-trends.ts';
import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * GET /api/violations/trends against the testbed Prometheus: Gatekeeper's gauge from the
 * seeded 24 h history and Policy Reporter's gauges fed live by remote write. Each person's
 * series must equal what Prometheus itself answers for exactly their clusters (and, for a
 * Developer, their namespaces; no cluster-wide gauge at all).
 */
const env = inject('testbed');
let bff: RunningServer;
let feed: PolicyFeed | undefined;

const PEOPLE = {
  platform: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] },
  aAdmin: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] },
  aDev: { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] },
  bViewer: { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
} satisfies Record<string, Principal>;
type Who = keyof typeof PEOPLE;

const fail = (cluster: string, namespace: string | undefined, severity: PolicyFigure['severity'], value: number): PolicyFigure => ({
  metric: namespace === undefined ? 'cluster_policy_report_result' : 'policy_report_result',
  cluster,
  ...(namespace !== undefined && { namespace }),
  policy: 'require-labels',
  status: 'fail',
  severity,
  value,
});
const FIGURES: PolicyFigure[] = [
  // client-a-staging (a spoke: trends come from Prometheus whatever the connection).
  fail('client-a-staging', 'client-a-web', 'high', 4),
  fail('client-a-staging', 'kube-system', 'high', 7),
  fail('client-a-staging', undefined, 'critical', 2),
  // client-b.
  fail('prod-eu-west', 'client-b-web', 'medium', 3),
];

const clusters = demoClusters(new Date());
/** Each person's clusters (and namespace pattern), as the access policy gives them. */
const REACH: Record<Who, { clusters: string[]; namespaces?: string }> = {
  platform: { clusters: clusters.map((c) => c.name) },
  aAdmin: { clusters: clusters.filter((c) => c.tenant === 'client-a').map((c) => c.name) },
  aDev: {
    clusters: clusters.filter((c) => c.tenant === 'client-a' && c.environment !== 'production').map((c) => c.name),
    namespaces: 'client-a-.*',
  },
  bViewer: { clusters: clusters.filter((c) => c.tenant === 'client-b').map((c) => c.name) },
};

async function trends(who: Who): Promise<ViolationTrends> {
  const res = await fetch(`${bff.url}/api/violations/trends?range=1h`, { headers: { cookie: await forgeSessionCookie(PEOPLE[who]) } });
  expect(res.status).toBe(200);
  return ViolationTrends.parse(await res.json());
}

/** What Prometheus itself answers, summed per the BFF's label, over exactly these clusters (and namespaces). */
async function truth(who: Who, step: number): Promise<Map<string, Map<number, number>>> {
  const { clusters: names, namespaces } = REACH[who];
  const end = Math.floor(Date.now() / 1000 / step) * step;
  const sel = `cluster=~"${names.join('|')}"`;
  const queries: [string, (m: Record<string, string>) => string][] = [
    [
      `sum by (status, severity) (policy_report_result{status=~"fail|warn|error", ${sel}${namespaces ? `, namespace=~"${namespaces}"` : ''}})`,
      (m) => `kyverno ${m.status} ${m.severity || 'unknown'}`,
    ],
  ];
  if (!namespaces) {
    queries.push([`sum by (enforcement_action) (gatekeeper_violations{${sel}})`, (m) => `gatekeeper ${m.enforcement_action}`]);
    queries.push([
      `sum by (status, severity) (cluster_policy_report_result{status=~"fail|warn|error", ${sel}})`,
      (m) => `kyverno cluster-scoped ${m.status} ${m.severity || 'unknown'}`,
    ]);
  }
  const out = new Map<string, Map<number, number>>();
  for (const [query, label] of queries) {
    const params = new URLSearchParams({ query, start: String(end - 3600), end: String(end), step: String(step) });
    const body = (await (await fetch(`${env.prometheus.url}/api/v1/query_range?${params.toString()}`)).json()) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    for (const row of body.data.result) out.set(label(row.metric), new Map(row.values.map(([t, v]) => [t, Number(v)])));
  }
  return out;
}

/** The BFF's series equal Prometheus' own answer for the person's reach, on every timestamp both have. */
async function expectMatchesPrometheus(who: Who): Promise<ViolationTrends> {
  const got = await trends(who);
  expect(got.errors).toEqual([]);
  const want = await truth(who, got.step);
  expect(new Set(got.series.map((s) => s.label))).toEqual(new Set(want.keys()));
  for (const s of got.series) {
    const w = want.get(s.label)!;
    const common = s.points.filter(([t]) => w.has(t));
    expect(common.length, `${who} ${s.label}`).toBeGreaterThan(0);
    for (const [t, v] of common) expect(v, `${who} ${s.label} at ${t}`).toBe(w.get(t));
  }
  return got;
}

const last = (t: ViolationTrends, label: string) => t.series.find((s) => s.label === label)?.points.at(-1)?.[1];

beforeAll(async () => {
  feed = await feedPolicyMetrics(env.prometheus.url, FIGURES);
  bff = await startTestbedBff(env, { prometheus: { url: env.prometheus.url, timeoutSeconds: 20 } });
  // A range query's last step is the whole minute before now: wait until the live samples fall in one.
  const deadline = Date.now() + 100_000;
  while (last(await trends('aDev'), 'kyverno fail high') !== 4) {
    if (Date.now() > deadline) throw new Error('the fed Policy Reporter series never showed in the trends');
    await new Promise((r) => setTimeout(r, 2000));
  }
}, 150_000);
afterAll(async () => {
  feed?.stop();
  await bff?.close();
});

describe('violation trends from the testbed Prometheus, per persona', () => {
  it('gives a Platform Admin what Prometheus has for the whole fleet, Gatekeeper’s seeded history included', async () => {
    const t = await expectMatchesPrometheus('platform');
    expect(t.series.some((s) => s.source === 'gatekeeper_violations' && s.points.some(([, v]) => v > 0))).toBe(true);
    expect(last(t, 'kyverno cluster-scoped fail critical')).toBeGreaterThanOrEqual(2);
  });

  it('gives a Tenant Admin exactly their tenant’s sums, no other tenant’s series', async () => {
    const t = await expectMatchesPrometheus('aAdmin');
    // prod-eu-west's medium failure is client-b's.
    expect(t.series.find((s) => s.label === 'kyverno fail medium')).toBeUndefined();
    expect(last(t, 'kyverno fail high')).toBeGreaterThanOrEqual(11);
  });

  it('gives a Developer only their namespaces’ Policy Reporter series and no cluster-wide gauge', async () => {
    const t = await expectMatchesPrometheus('aDev');
    expect(t.series.every((s) => s.source === 'policy_report_result')).toBe(true);
    // client-a-web's 4, not kube-system's 7.
    expect(last(t, 'kyverno fail high')).toBe(4);
    expect(t.warnings).toContain(CLUSTER_WIDE_TRENDS);
  });

  it('gives a Viewer of client-b their tenant only', async () => {
    const t = await expectMatchesPrometheus('bViewer');
    expect(last(t, 'kyverno fail medium')).toBeGreaterThanOrEqual(3);
    expect(t.series.find((s) => s.label === 'kyverno cluster-scoped fail critical' && s.points.some(([, v]) => v === 2))).toBeUndefined();
  });
});
