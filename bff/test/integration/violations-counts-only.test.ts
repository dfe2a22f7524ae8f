import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { GATEKEEPER_ALL_CONSTRAINTS, ViolationList, ViolationSummary, type Principal } from '@fleetdeck/shared';

import { feedPolicyMetrics, type GatekeeperFigure, type PolicyFeed, type PolicyFigure } from '../../../testbed/src/prom/policy-metrics.ts';
import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * Clusters the BFF has no connection to get "counts only" from the gauges their Gatekeeper
 * and Policy Reporter send to Prometheus: the testbed Prometheus is fed live series by
 * remote write (as an agent writing to Thanos would) for clusters without a spoke, and for
 * a spoke (which must never be counted from metrics). Scope per persona.
 */
const env = inject('testbed');
let bff: RunningServer;
let feed: PolicyFeed | undefined;

const PEOPLE = {
  platform: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] },
  aAdmin: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] },
  aDev: { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] },
  bViewer: { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
  bDev: { user: 'client-b-dev@test', groups: ['tenant-client-b-developers'] },
} satisfies Record<string, Principal>;
type Who = keyof typeof PEOPLE;

const fail = (cluster: string, namespace: string | undefined, policy: string, severity: PolicyFigure['severity'], value: number) =>
  ({
    metric: namespace === undefined ? 'cluster_policy_report_result' : 'policy_report_result',
    cluster,
    ...(namespace !== undefined && { namespace }),
    policy,
    status: 'fail',
    severity,
    value,
  }) satisfies PolicyFigure;

const FIGURES: (PolicyFigure | GatekeeperFigure)[] = [
  // client-b-dev (client-b, dev): no spoke.
  { metric: 'gatekeeper_violations', cluster: 'client-b-dev', tenant: 'client-b', env: 'dev', enforcementAction: 'deny', value: 6 },
  { metric: 'gatekeeper_violations', cluster: 'client-b-dev', tenant: 'client-b', env: 'dev', enforcementAction: 'warn', value: 2 },
  // The seeded history's dryrun series, continued at 0 (its last seeded value would otherwise count for five minutes).
  { metric: 'gatekeeper_violations', cluster: 'client-b-dev', tenant: 'client-b', env: 'dev', enforcementAction: 'dryrun', value: 0 },
  fail('client-b-dev', 'client-b-web', 'require-labels', 'high', 5),
  // Passing results are not violations.
  { ...fail('client-b-dev', 'client-b-web', 'require-labels', 'high', 40), status: 'pass' },
  { ...fail('client-b-dev', 'kube-system', 'require-limits', 'medium', 2), status: 'warn' },
  fail('client-b-dev', undefined, 'disallow-privileged', 'critical', 1),
  // Another engine reporting through Policy Reporter is not Kyverno.
  { ...fail('client-b-dev', 'client-b-web', 'CVE-2026-0001', 'critical', 9), source: 'trivy' },
  // prod-us-east (client-a, production): no spoke.
  fail('prod-us-east', 'client-a-web', 'require-labels', 'low', 3),
  // A spoke: its findings come from the connection, never from metrics.
  fail('prod-eu-west', 'client-b-web', 'require-labels', 'high', 8),
];

async function get(who: Who, path: string): Promise<Response> {
  const res = await fetch(bff.url + path, { headers: { cookie: await forgeSessionCookie(PEOPLE[who]) } });
  expect(res.status, `${who} ${path}`).toBe(200);
  return res;
}
const summary = async (who: Who, q = '') => ViolationSummary.parse(await (await get(who, `/api/violations/summary${q}`)).json());
/** cluster/policy → count of the person's counts-only heat map. */
const cells = (s: ViolationSummary) =>
  Object.fromEntries((s.countsOnly?.byPolicyCluster ?? []).map((c) => [`${c.cluster}/${c.policy}`, c.count]));

beforeAll(async () => {
  feed = await feedPolicyMetrics(env.prometheus.url, FIGURES);
  bff = await startTestbedBff(env, {
    spokes: { kubeconfigs: Object.fromEntries(env.spokes.map((s) => [s.name, s.bffKubeconfig])) },
    prometheus: { url: env.prometheus.url, timeoutSeconds: 20 },
  });
}, 90_000);
afterAll(async () => {
  feed?.stop();
  await bff?.close();
});

describe('counts-only clusters from Prometheus, per persona', () => {
  it('gives a Platform Admin the figures of clusters without a connection, marked, never of a spoke', async () => {
    const s = await summary('platform');
    const c = cells(s);
    expect(c[`client-b-dev/${GATEKEEPER_ALL_CONSTRAINTS}`]).toBe(8);
    expect(c['client-b-dev/require-labels']).toBe(5);
    expect(c['client-b-dev/require-limits']).toBe(2);
    expect(c['client-b-dev/disallow-privileged']).toBe(1);
    expect(c['prod-us-east/require-labels']).toBe(3);
    expect(c['client-b-dev/CVE-2026-0001']).toBeUndefined();
    const spokes = env.spokes.map((x) => x.name);
    expect(s.countsOnly!.byPolicyCluster.some((x) => spokes.includes(x.cluster))).toBe(false);
    expect(s.feeds.find((f) => f.cluster === 'client-b-dev')?.state).toBe('countsOnly');
    expect(s.feeds.filter((f) => spokes.includes(f.cluster)).every((f) => f.state !== 'countsOnly')).toBe(true);
    // Counts only are not rows: the summary's total is still the list's.
    const list = ViolationList.parse(await (await get('platform', '/api/violations?limit=1')).json());
    expect(s.total).toBe(list.total);
    expect(list.feeds.find((f) => f.cluster === 'client-b-dev')?.state).toBe('countsOnly');
  });

  it('gives a Tenant Admin their tenant’s clusters only', async () => {
    const s = await summary('aAdmin');
    expect(cells(s)['prod-us-east/require-labels']).toBe(3);
    expect(JSON.stringify(s)).not.toContain('client-b-dev');
    expect(s.feeds.every((f) => !f.cluster.startsWith('client-b') && f.cluster !== 'prod-eu-west')).toBe(true);
  });

  it('gives a Viewer their tenant’s clusters whole, cluster-wide figures included', async () => {
    const c = cells(await summary('bViewer'));
    expect(c).toMatchObject({
      [`client-b-dev/${GATEKEEPER_ALL_CONSTRAINTS}`]: 8,
      'client-b-dev/require-labels': 5,
      'client-b-dev/require-limits': 2,
      'client-b-dev/disallow-privileged': 1,
    });
    expect(Object.keys(c).some((k) => k.startsWith('prod-us-east/'))).toBe(false);
  });

  it('gives a Developer only Policy Reporter figures of their namespaces on their dev and staging clusters', async () => {
    const b = await summary('bDev');
    expect(b.countsOnly?.byPolicyCluster).toEqual([
      { policy: 'require-labels', engine: 'kyverno', cluster: 'client-b-dev', count: 5, metric: 'policy_report_result' },
    ]);
    expect(b.countsOnly?.total).toBe(5);
    // client-a's developers: prod-us-east is production, so nothing.
    expect((await summary('aDev')).countsOnly).toBeUndefined();
  });

  it('filters counts-only figures like rows', async () => {
    expect((await summary('platform', '?cluster=client-b-dev&severity=high')).countsOnly?.total).toBe(5);
    expect((await summary('platform', '?engine=gatekeeper&cluster=client-b-dev')).countsOnly?.total).toBe(8);
    const b = await summary('platform', '?tenant=client-b');
    expect(b.countsOnly?.byPolicyCluster.every((c) => c.cluster.startsWith('client-b-'))).toBe(true);
    expect((await summary('platform', '?kind=Pod')).countsOnly).toBeUndefined();
    expect((await summary('aAdmin', '?tenant=client-b')).countsOnly).toBeUndefined();
  });
});
