import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import type { InventoryEvent, InventorySource } from '../../src/sources/inventory.ts';
import { kubeFleetInventory } from '../../src/sources/kubefleet/kubefleet-source.ts';
import { MergedInventory } from '../../src/sources/merged-inventory.ts';
import { rancherFleetInventory } from '../../src/sources/rancher/rancher-source.ts';
import { StaticFleetSource } from '../../src/sources/static/static-source.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

const env = inject('testbed');
const labels = { tenantLabel: 'client', environmentLabel: 'env' };
const logger = createLogger('silent');
const started: InventorySource[] = [];

function hubKc(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  return kc;
}

async function start<S extends InventorySource>(source: S): Promise<S> {
  await source.start();
  started.push(source);
  return source;
}

const eventually = eventuallyWithin({ timeoutMs: 15_000, everyMs: 100 });

afterAll(async () => {
  for (const s of started) await s.stop();
});

describe('inventory adapters against the testbed hub', () => {
  it('KubeFleet: lists every MemberCluster once, then follows a label change live', async () => {
    const inv = await start(kubeFleetInventory(hubKc(), labels, logger));
    const names = inv.snapshot().clusters.map((c) => c.name);
    expect(names).toHaveLength(new Set(names).size);
    expect(names).toEqual(expect.arrayContaining(['prod-us-east', 'prod-eu-west', 'edge-retail-012']));
    const events: InventoryEvent[] = [];
    inv.subscribe((e) => events.push(e));
    const stamp = `t${Date.now()}`;
    await kubeClient(env, env.hub, 'admin').expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-asia', {
      body: { metadata: { labels: { 'fleetdeck.dev/probe': stamp } } },
      contentType: 'application/merge-patch+json',
    });
    const e = await eventually('the label change', () =>
      events.find((x) => x.type === 'MODIFIED' && x.cluster.labels['fleetdeck.dev/probe'] === stamp),
    );
    expect(e.cluster.tenant).toBe('client-c');
  });

  it('Rancher Fleet: maps Clusters with ClusterGroup membership, drift and agent age', async () => {
    const inv = await start(rancherFleetInventory(hubKc(), labels, logger));
    const byName = new Map(inv.snapshot().clusters.map((c) => [c.name, c]));
    expect(byName.size).toBe(20);
    expect(byName.get('edge-retail-004')).toMatchObject({
      source: 'rancher-fleet',
      groups: ['edge-clusters'],
      sync: { state: 'Drifted', driftedResources: 1 },
    });
    expect(byName.get('prod-us-east')).toMatchObject({ state: 'Ready', groups: [], sync: { state: 'InSync' } });
    expect(byName.get('edge-retail-011')?.state).toBe('Unknown');
    // A new ClusterGroup re-maps membership without any cluster changing.
    await kubeClient(env, env.hub, 'admin').expectOk('POST', '/apis/fleet.cattle.io/v1alpha1/namespaces/fleet-default/clustergroups', {
      body: {
        apiVersion: 'fleet.cattle.io/v1alpha1',
        kind: 'ClusterGroup',
        metadata: { name: 'eu', namespace: 'fleet-default' },
        spec: { selector: { matchLabels: { region: 'eu-west' } } },
      },
    });
    await eventually('the new group', () =>
      inv
        .snapshot()
        .clusters.find((c) => c.name === 'prod-eu-west')
        ?.groups.includes('eu')
        ? true
        : undefined,
    );
  });

  it('static file: reads it, follows edits, keeps the last good fleet on a bad edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-file-'));
    const file = join(dir, 'fleet.yaml');
    writeFileSync(
      file,
      'clusters:\n  - {name: lab-1, labels: {client: client-a, env: dev}}\n  - {name: lab-2, tenant: client-b, labels: {env: staging}}\n',
    );
    const inv = await start(new StaticFleetSource(file, labels));
    expect(inv.snapshot().clusters.map((c) => [c.name, c.tenant, c.environment, c.state])).toEqual([
      ['lab-1', 'client-a', 'dev', 'Unknown'],
      ['lab-2', 'client-b', 'staging', 'Unknown'],
    ]);
    const events: InventoryEvent[] = [];
    inv.subscribe((e) => events.push(e));
    writeFileSync(file, 'clusters:\n  - {name: lab-1, labels: {client: client-a, env: staging}}\n');
    await eventually('the edit', () => (events.length >= 2 ? true : undefined));
    expect(events.map((e) => `${e.type} ${e.cluster.name}`).sort()).toEqual(['DELETED lab-2', 'MODIFIED lab-1']);
    writeFileSync(file, 'clusters: [{name: Bad_Name}]\n');
    await eventually('the error', () => inv.snapshot().errors[0]);
    expect(inv.snapshot().clusters.map((c) => c.name)).toEqual(['lab-1']);
  });

  it('merges sources, first one winning on a name both report', async () => {
    const merged = await start(
      new MergedInventory([kubeFleetInventory(hubKc(), labels, logger), rancherFleetInventory(hubKc(), labels, logger)]),
    );
    const clusters = merged.snapshot().clusters;
    expect(clusters).toHaveLength(20);
    expect(new Set(clusters.map((c) => c.source))).toEqual(new Set(['kubefleet']));
  });

  it('resumes the watch after the hub API server restarts: no duplicate, no lost cluster, live again', async () => {
    const inv = await start(kubeFleetInventory(hubKc(), labels, logger));
    const before = inv
      .snapshot()
      .clusters.map((c) => c.name)
      .sort();
    const restart = await fetch(`${env.control.url}/restart/hub?downMs=1500`, { method: 'POST' });
    expect(restart.status).toBe(204);
    // While the hub was down the last known inventory stayed, marked with the error.
    const names = inv
      .snapshot()
      .clusters.map((c) => c.name)
      .sort();
    expect(names).toEqual(before);
    const events: InventoryEvent[] = [];
    inv.subscribe((e) => events.push(e));
    const stamp = `r${Date.now()}`;
    await kubeClient(env, env.hub, 'admin').expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/client-c-staging', {
      body: { metadata: { labels: { 'fleetdeck.dev/probe': stamp } } },
      contentType: 'application/merge-patch+json',
    });
    await eventually(
      'the change made after the restart',
      () => events.find((e) => e.type !== 'DELETED' && e.cluster.labels['fleetdeck.dev/probe'] === stamp),
      30_000,
    );
    const after = inv
      .snapshot()
      .clusters.map((c) => c.name)
      .sort();
    expect(after).toEqual(before);
    expect(events.filter((e) => e.type === 'DELETED')).toEqual([]);
    await eventually('the hub error to clear', () => (inv.snapshot().errors.length === 0 ? true : undefined), 30_000);
  });
});
