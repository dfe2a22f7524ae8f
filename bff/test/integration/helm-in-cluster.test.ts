import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { FleetTree } from '@fleetdeck/shared';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { Config } from '../../src/config/schema.ts';
import type { RunningServer } from '../../src/server.ts';
import { hubKubeConfig } from '../../src/sources/create-inventory.ts';
import { inClusterKubeConfig } from '../../src/sources/kube/in-cluster.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';
import { HUB_CHART, mixValues, one, render, serverSideApply } from '../helpers/helm.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * In-cluster mode against the testbed hub: the BFF, given no kubeconfig, authenticates as
 * the ServiceAccount the chart creates (with the chart's own RBAC), from a token the
 * TokenRequest API issued and written where the kubelet would project it. Each token is
 * bound to a Secret, so deleting the Secret revokes it: after the file is replaced and the
 * old token revoked, only a BFF that read the new file can still list the fleet.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const RUN = `ic${Date.now().toString(36)}`;
const NAMESPACE = `fleetdeck-${RUN}`;
const hubUrl = new URL(env.hub.url);
const saDir = mkdtempSync(join(tmpdir(), 'fleetdeck-sa-'));
const podEnv = { KUBERNETES_SERVICE_HOST: hubUrl.hostname, KUBERNETES_SERVICE_PORT: hubUrl.port, FLEETDECK_SERVICEACCOUNT_DIR: saDir };
// What hubKubeConfig reads: real mode with a hub source and no kubeconfig.
const HUB_ONLY = Config.parse({ mode: 'real', inventory: { sources: ['kubefleet'] } });
const saved = Object.fromEntries(Object.keys(podEnv).map((k) => [k, process.env[k]]));
const cleanups: (() => Promise<unknown>)[] = [];
let serviceAccount = '';
let bff: RunningServer | undefined;

/** A token for the chart's ServiceAccount, valid while the Secret `bound` exists. */
async function boundToken(bound: string): Promise<string> {
  const secret = await admin.expectOk<{ metadata: { uid: string } }>('POST', `/api/v1/namespaces/${NAMESPACE}/secrets`, {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: bound }, type: 'Opaque' },
  });
  const res = await admin.expectOk<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${serviceAccount}/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: bound, uid: secret.metadata.uid } },
      },
    },
  );
  return res.status.token;
}

/** As the kubelet does: the new file appears whole, in one rename. */
function projectToken(token: string): void {
  const next = join(saDir, `.token-${Date.now()}`);
  writeFileSync(next, token);
  renameSync(next, join(saDir, 'token'));
}

const eventually = eventuallyWithin({ timeoutMs: 30_000, everyMs: 250 });

beforeAll(async () => {
  await admin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } });
  cleanups.push(() => admin.request('DELETE', `/api/v1/namespaces/${NAMESPACE}`));
  // The chart's ServiceAccount and hub RBAC, applied for real: the BFF runs with exactly these rights.
  const objects = render(HUB_CHART, { release: RUN, namespace: NAMESPACE, values: [mixValues('kubefleet')] });
  for (const obj of objects.filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))) {
    const res = await serverSideApply(admin, obj, { namespace: NAMESPACE, dryRun: false });
    expect(res.status, res.text).toBeLessThan(300);
    if (obj.kind !== 'ServiceAccount')
      cleanups.push(() => admin.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/${obj.kind.toLowerCase()}s/${obj.metadata.name}`));
  }
  serviceAccount = one(objects, 'ServiceAccount').metadata.name;
  copyFileSync(env.hub.caFile, join(saDir, 'ca.crt'));
  Object.assign(process.env, podEnv);
}, 60_000);

afterAll(async () => {
  await bff?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('in-cluster mode (no kubeconfig: the pod’s ServiceAccount)', () => {
  it('builds the hub connection from KUBERNETES_SERVICE_HOST, the projected CA and token; without them it says what is missing', () => {
    projectToken('not-yet-a-real-token');
    const kc = hubKubeConfig(HUB_ONLY, process.env)!;
    expect(kc.getCurrentCluster()?.server).toBe(`https://${hubUrl.hostname}:${hubUrl.port}`);
    expect(kc.getCurrentCluster()?.caFile).toBe(join(saDir, 'ca.crt'));
    expect(() => hubKubeConfig(HUB_ONLY, {})).toThrow(/no hub kubeconfig/);
    expect(() => inClusterKubeConfig({ env: podEnv, dir: join(saDir, 'missing') })).toThrow(/no CA bundle/);
  });

  it('lists the fleet with a TokenRequest token, and picks up a rotated token (the old one revoked)', async () => {
    const first = await boundToken('token-one');
    projectToken(first);
    // One in-cluster config object, used before and after the rotation.
    const kc = hubKubeConfig(HUB_ONLY, process.env)!;
    const listMemberClusters = async () =>
      (
        (await kc
          .makeApiClient(CustomObjectsApi)
          .listClusterCustomObject({ group: 'cluster.kubernetes-fleet.io', version: 'v1beta1', plural: 'memberclusters' })) as {
          items: unknown[];
        }
      ).items.length;
    expect(await listMemberClusters()).toBeGreaterThan(0);
    const cookie = await forgeSessionCookie({ user: 'pat@example.com', groups: ['fleet-platform-admins'] });
    // No hubKubeconfig: in-cluster mode, with the chart's RBAC only.
    bff = await startTestbedBff(env, { inventory: { sources: ['kubefleet'] } });
    const fleet = async () => {
      const res = await fetch(`${bff!.url}/api/fleet`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return FleetTree.parse(await res.json()).tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters));
    };
    const clusters = await fleet();
    expect(clusters.map((c) => c.name)).toEqual(expect.arrayContaining(['prod-us-east', 'client-a-staging']));
    expect((await fetch(`${bff.url}/readyz`)).status).toBe(200);

    // Rotate: a new token in the file, then revoke the first (delete the Secret it is bound to).
    const second = await boundToken('token-two');
    projectToken(second);
    await admin.expectOk('DELETE', `/api/v1/namespaces/${NAMESPACE}/secrets/token-one`);
    await eventually('the first token to be refused', async () => ((await rawStatus(first)) === 401 ? true : undefined));
    expect(await rawStatus(second)).toBe(200);

    // The same config object now authenticates with the new file (the old token would be 401).
    expect(await listMemberClusters()).toBeGreaterThan(0);

    // The running BFF's watch was opened with the first token; restart the hub so it must
    // list and watch again, then change a cluster: the BFF sees it only with the new token.
    const restart = await fetch(`${env.control.url}/restart/hub?downMs=500`, { method: 'POST' });
    expect(restart.status).toBe(204);
    const stamp = `rot${Date.now()}`;
    await admin.expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/client-a-staging', {
      body: { metadata: { labels: { 'fleetdeck.dev/probe': stamp } } },
      contentType: 'application/merge-patch+json',
    });
    await eventually('the BFF to see the change made after rotation', async () =>
      (await fleet()).find((c) => c.name === 'client-a-staging' && c.labels['fleetdeck.dev/probe'] === stamp),
    );
  }, 90_000);
});

/** The hub's answer to a bare list with this bearer token (trusting the testbed's CA). */
async function rawStatus(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${env.hub.url}/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters?limit=1`,
      { ca: readFileSync(env.hub.caFile), headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
