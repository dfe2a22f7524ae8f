import { DeliveryId, DeliveryTarget, type Cluster } from '@fleetdeck/shared';
import { DEMO_TENANTS, demoClusters } from '@fleetdeck/shared/brief-fleet';
import { describe, expect, it } from 'vitest';

import { demoDeliverySource } from '../../src/sources/demo/gitops/demo-delivery-source.ts';
import type { SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const CLUSTERS = demoClusters(new Date(T0));
const BY_NAME = new Map<string, Cluster>(CLUSTERS.map((c) => [c.name, c]));

const list = (clusters: readonly Cluster[] = CLUSTERS) => demoDeliverySource({ clusters, now: () => new Date(T0) }).list();
const byName = (name: string, all = list()): SourceDelivery => {
  const d = all.find((x) => x.name === name);
  if (!d) throw new Error(`no delivery ${name}`);
  return d;
};
const target = (d: SourceDelivery, cluster: string) => {
  const t = d.targets.find((x) => x.cluster === cluster);
  if (!t) throw new Error(`${d.name} has no target ${cluster}`);
  return t;
};

describe('the demo deliveries’ catalogue', () => {
  it('hands out well-formed records of both engines, every target on a named cluster', () => {
    const all = list();
    expect(new Set(all.map((d) => d.engine))).toEqual(new Set(['fleet', 'argocd']));
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    for (const d of all) {
      expect(DeliveryId.safeParse(d.id).success, d.id).toBe(true);
      expect(d.id).toBe(`${d.engine}:${d.namespace}/${d.name}`);
      expect(d.targets.length, d.name).toBeGreaterThan(0);
      for (const t of d.targets) {
        expect(DeliveryTarget.safeParse(t).success, `${d.name}/${t.cluster}`).toBe(true);
        expect(BY_NAME.has(t.cluster), t.cluster).toBe(true);
        expect(t.appliedCommit).toMatch(/^[0-9a-f]{40}$/);
        // Times are before the start: the demo looks as if it had been running.
        if (t.lastSyncAt) expect(Date.parse(t.lastSyncAt)).toBeLessThanOrEqual(T0);
      }
      expect(d.renderedCommit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('is the same on every start (deterministic commits and times)', () => {
    expect(list()).toEqual(list());
  });

  it('gives every tenant its own Fleet GitRepos and Argo CD Applications, on its own clusters only', () => {
    const all = list();
    for (const tenant of DEMO_TENANTS) {
      const repos = all.filter((d) => d.engine === 'fleet' && d.tenant === tenant);
      const apps = all.filter((d) => d.engine === 'argocd' && d.tenant === tenant);
      expect(repos.length, tenant).toBeGreaterThan(0);
      expect(apps.length, tenant).toBeGreaterThan(0);
      for (const r of repos) expect(r.namespace).toBe(`fleet-${tenant}`);
      for (const d of [...repos, ...apps])
        for (const t of d.targets) expect(BY_NAME.get(t.cluster)?.tenant, `${d.name}/${t.cluster}`).toBe(tenant);
      for (const a of apps) {
        expect(a.namespace).toBe('argocd');
        expect(a.argocd?.project).toBe(tenant);
        expect(a.targets).toHaveLength(1);
        expect(a.destinationCluster).toBe(a.targets[0]!.cluster);
        expect(a.argocd?.destination.name).toBe(a.destinationCluster);
        expect(a.argocd?.unmapped).toBe(false);
        expect(a.labels.client).toBe(tenant);
      }
    }
  });

  it('places the brief’s core-stack on every cluster with its customizations: 3 replicas in production, 1 in staging, lightweight on client-a’s edge', () => {
    const core = byName('core-stack');
    expect(core.namespace).toBe('fleet-default');
    expect(core.targets.map((t) => t.cluster).sort()).toEqual(CLUSTERS.map((c) => c.name).sort());
    for (const c of CLUSTERS) {
      const t = target(core, c.name);
      if (c.labels.type === 'edge' && c.tenant === 'client-a') {
        expect(t.customization, c.name).toBe('client-a-edge');
        expect(t.options).toContain('helm.values.lightweight: true');
      } else if (c.environment === 'production') {
        expect(t.customization, c.name).toBe('production');
        expect(t.options).toContain('helm.values.replicas: 3');
      } else if (c.environment === 'staging') {
        expect(t.customization, c.name).toBe('staging');
        expect(t.options).toContain('helm.values.replicas: 1');
      } else {
        // client-b-dev matches no entry: the chart's defaults.
        expect(t.customization, c.name).toBeUndefined();
        expect(t.options).toBeUndefined();
      }
    }
    const placement = core.placement!;
    expect(placement.targets).toEqual([
      expect.objectContaining({ name: 'all-clusters', clusters: [...core.targets.map((t) => t.cluster)].sort() }),
    ]);
    // First match wins: every client-a cluster took an earlier entry, so the override applies nowhere.
    expect(placement.customizations.map((c) => c.name)).toEqual(['client-a-edge', 'production', 'staging', 'client-a-override']);
    expect(placement.customizations.find((c) => c.name === 'client-a-override')?.clusters).toEqual([]);
    for (const c of placement.customizations)
      for (const name of c.clusters) expect(core.targets.some((t) => t.cluster === name)).toBe(true);
  });

  it('has a drifted cluster, an ErrApplied one, a paused repo and a failed git job', () => {
    const all = list();
    const drifted = target(byName('core-stack', all), 'edge-retail-004');
    expect(drifted).toMatchObject({ fleetState: 'Modified', status: { label: 'Modified', tone: 'warning' } });
    expect(drifted.resources).toHaveLength(BY_NAME.get('edge-retail-004')!.sync.driftedResources);
    expect(drifted.resources.every((r) => r.state === 'Modified' && r.message)).toBe(true);
    expect(drifted.message).toContain('Modified(2)');

    const failing = all.flatMap((d) => d.targets.filter((t) => t.fleetState === 'ErrApplied').map((t) => `${d.name}/${t.cluster}`));
    expect(failing).toEqual(['monitoring-stack/client-c-staging']);

    const paused = all.filter((d) => d.paused);
    expect(paused.map((d) => d.name)).toEqual(['client-b-payments']);
    for (const t of paused[0]!.targets) {
      expect(t).toMatchObject({ paused: true, fleetState: 'OutOfSync', status: { tone: 'paused' } });
      expect(t.appliedCommit).not.toBe(paused[0]!.renderedCommit);
    }

    const analytics = byName('client-c-analytics', all);
    expect(analytics.fleet?.gitJob).toBe('Failed');
    expect(analytics.fleet?.gitJobMessage).toContain('authentication required');
    expect(analytics.repoStatus).toMatchObject({ label: 'Git job failed', tone: 'error' });
    expect(all.filter((d) => d.repoStatus).map((d) => d.name)).toEqual(['client-c-analytics']);
  });

  it('has the Argo CD apps the journeys need: an OutOfSync one to sync by hand, a failed sync, a Degraded one, Progressing ones', () => {
    const all = list();
    const storefront = byName('client-a-storefront-prod-us-east', all);
    expect(storefront.argocd).toMatchObject({
      sync: 'OutOfSync',
      health: 'Healthy',
      automated: false,
      syncPending: false,
      applicationSet: 'client-a-storefront',
    });
    expect(storefront.labels).toMatchObject({ env: 'production', region: 'us-east', client: 'client-a' });
    expect(BY_NAME.get(storefront.destinationCluster!)?.environment).toBe('production');

    const failed = all.filter((d) => d.argocd?.operation?.phase === 'Failed');
    expect(failed.map((d) => d.name)).toEqual(['client-c-api-prod-asia']);
    expect(failed[0]!.argocd?.operation?.message).toContain('denied the request');
    expect(failed[0]!.targets[0]!.status).toMatchObject({ tone: 'error', label: 'OutOfSync / Healthy (sync failed)' });

    expect(all.filter((d) => d.argocd?.health === 'Degraded').map((d) => d.name)).toEqual(['client-b-checkout-prod-eu-west']);
    expect(all.filter((d) => d.argocd?.health === 'Progressing').length).toBeGreaterThanOrEqual(2);

    // `argocd app list --selector env=production`: apps of every tenant, most from ApplicationSets.
    const production = all.filter((d) => d.engine === 'argocd' && d.labels.env === 'production');
    expect(new Set(production.map((d) => d.tenant))).toEqual(new Set(DEMO_TENANTS));
    expect(production.filter((d) => d.argocd?.sync === 'OutOfSync').length).toBeGreaterThan(0);
    const addons = all.filter((d) => d.argocd?.applicationSet === 'cluster-addons');
    expect(addons.map((d) => d.destinationCluster).sort()).toEqual(
      CLUSTERS.filter((c) => c.environment === 'production')
        .map((c) => c.name)
        .sort(),
    );
    expect(all.some((d) => d.engine === 'argocd' && d.argocd?.applicationSet === undefined)).toBe(true);
  });

  it('keeps apps reading one branch on one commit, and a succeeded sync’s time as the last sync', () => {
    const all = list();
    const heads = new Set(all.filter((d) => d.argocd?.applicationSet === 'cluster-addons').map((d) => d.renderedCommit));
    expect(heads.size).toBe(1);
    // core-stack and monitoring-stack render the same repo's head.
    expect(byName('core-stack', all).renderedCommit).toBe(byName('monitoring-stack', all).renderedCommit);
    const synced = byName('client-a-storefront-prod-us-west', all);
    expect(synced.targets[0]!.lastSyncAt).toBe(synced.argocd?.operation?.finishedAt);
  });

  it('speaks of the brief’s named clusters only, whatever synthetic clusters the inventory holds', () => {
    const all = list(demoClusters(new Date(T0), 60));
    expect(all.length).toBe(list().length);
    for (const d of all) for (const t of d.targets) expect(BY_NAME.has(t.cluster), t.cluster).toBe(true);
  });
});
