import { DEMO_USERS, type Cluster } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { describe, expect, it } from 'vitest';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { DemoHealthSource } from '../../src/sources/demo/health/demo-health.ts';
import { AUTH_SPIKE_START, authSpikeCluster, daily, unhealthyClusters } from '../../src/sources/demo/health/demo-series.ts';
import { fleetPanelSet } from '../../src/sources/health/fleet-panels.ts';
import { panelAccesses } from '../../src/sources/health/panel-access.ts';
import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { healthPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { resolveWindow } from '../../src/sources/health/window.ts';

const now = new Date('2026-11-25T16:00:00Z');
const clusters: Cluster[] = demoClusters(now);
const source = new DemoHealthSource(() => clusters, healthPanelDefs(defaultHealthConfig()));
const scopeOf = (user: string) => {
  const u = DEMO_USERS.find((d) => d.user === user)!;
  return resolveScope({ user: u.user, groups: [...u.groups] }, DEFAULT_ACCESS_POLICY);
};
const panelsFor = async (user: string, range: '24h' | '1h' = '24h') =>
  new Map(
    (
      await fleetPanelSet(
        (d, a, w) => source.series(d, a, w),
        source.defs,
        panelAccesses(scopeOf(user), clusters),
        resolveWindow({ range, width: 400 }, { now }),
        3,
      )
    ).map((p) => [p.def.id, p]),
  );

describe('the demo fleet’s health series', () => {
  it('have a daily shape: busier in the afternoon than at night', () => {
    expect(daily(Date.parse('2026-11-25T16:00:00Z') / 1000)).toBeCloseTo(1);
    expect(daily(Date.parse('2026-11-25T04:00:00Z') / 1000)).toBeCloseTo(0);
  });

  it('answer all nine panels for the Platform Admin, every cluster with data, unhealthy ones worst', async () => {
    const panels = await panelsFor('platform-admin@demo');
    expect(panels.size).toBe(9);
    const reporting = clusters
      .filter((c) => c.state !== 'Unknown')
      .map((c) => c.name)
      .sort();
    const sick = unhealthyClusters(clusters);
    expect(sick.size).toBeGreaterThanOrEqual(2);
    for (const p of panels.values()) {
      expect(p.errors, p.def.id).toEqual([]);
      expect(
        p.table.map((r) => r.cluster),
        p.def.id,
      ).toEqual(reporting);
      expect(p.band.length, p.def.id).toBeGreaterThan(100);
    }
    for (const id of ['podHealthRatio', 'nodesReady', 'violations', 'lastSync'] as const) {
      expect(sick.has(panels.get(id)!.worst[0]!.cluster), id).toBe(true);
    }
    const cpu = panels.get('cpu')!.band;
    const at = (iso: string) => cpu.find((b) => b.t >= Date.parse(iso) / 1000)!.p50;
    expect(at('2026-11-25T15:00:00Z')).toBeGreaterThan(at('2026-11-25T05:00:00Z'));
  });

  it('show a failed-authentication spike on one production cluster', async () => {
    const failed = (await panelsFor('platform-admin@demo')).get('failedAuth')!;
    const spike = authSpikeCluster(clusters)!;
    expect(failed.worst.map((w) => w.cluster)).toContain(spike);
    const series = failed.worst.find((w) => w.cluster === spike)!.points;
    const day = Math.floor(now.getTime() / 1000 / 86_400) * 86_400;
    const during = series.find(([t]) => t >= day + AUTH_SPIKE_START + 60)![1];
    const before = series.find(([t]) => t >= day + AUTH_SPIKE_START - 3600)![1];
    expect(during).toBeGreaterThan(50 * before);
  });

  it('go through the same scope filter: a Tenant Admin gets only their tenant’s clusters', async () => {
    const panels = await panelsFor('client-a-admin@demo');
    const tenantOf = new Map(clusters.map((c) => [c.name, c.tenant]));
    for (const p of panels.values()) {
      expect(p.table.length, p.def.id).toBeGreaterThan(0);
      for (const r of p.table) expect(tenantOf.get(r.cluster), p.def.id).toBe('client-a');
    }
  });

  it('give a Developer namespace panels (smaller than the cluster’s) and no cluster-wide figures', async () => {
    const dev = await panelsFor('client-a-dev@demo', '1h');
    const admin = await panelsFor('client-a-admin@demo', '1h');
    for (const id of ['nodesReady', 'gitopsSync', 'lastSync', 'violations', 'failedAuth']) {
      expect(dev.get(id)!.table, id).toEqual([]);
      expect(dev.get(id)!.errors[0]?.reason, id).toBe('cluster-wide figures need a wider role');
    }
    const devCpu = dev.get('cpu')!.table;
    expect(devCpu.length).toBeGreaterThan(0);
    for (const r of devCpu) expect(r.value).toBeLessThan(admin.get('cpu')!.table.find((a) => a.cluster === r.cluster)!.value);
    expect(dev.get('apiAvailability')!.table.length).toBe(devCpu.length);
  });
});
