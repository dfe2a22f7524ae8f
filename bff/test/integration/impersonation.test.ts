import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';

import { KubeEventRecorder } from '../../src/audit/kube-events.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';

const env = inject('testbed');

function clientFor(name: string): ImpersonatingClient {
  const server = name === 'hub' ? env.hub : env.spokes.find((s) => s.name === name)!;
  const kc = new KubeConfig();
  kc.loadFromFile(server.bffKubeconfig);
  return new ImpersonatingClient(kc);
}

/**
 * The API server is the second wall: with our own checks out of the way (the client is
 * called directly), kube-apiserver still refuses what the person's RBAC does not allow.
 */
describe('impersonated Kubernetes calls', () => {
  it('send one Impersonate-Group line per group (the API server sees each group)', async () => {
    const res = await clientFor('hub').request<{ status: { userInfo: { username: string; groups: string[] } } }>(
      { user: 'ada@example.com', groups: ['tenant-client-a-admins', 'fleet-viewers'] },
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
    expect(res.status).toBe(201);
    expect(res.body.status.userInfo.username).toBe('ada@example.com');
    expect(res.body.status.userInfo.groups).toEqual(expect.arrayContaining(['tenant-client-a-admins', 'fleet-viewers']));
    expect(res.body.status.userInfo.groups).not.toContain('tenant-client-a-admins,fleet-viewers');
  });

  it('are refused by kube-apiserver when the person may not: a Viewer writing, a Developer on production', async () => {
    const prod = clientFor('prod-eu-west');
    const viewer = { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] };
    const write = await prod.request(viewer, 'POST', '/api/v1/namespaces/client-b-apps/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' }, data: {} },
    });
    expect(write.status).toBe(403);
    expect((await prod.request(viewer, 'GET', '/api/v1/namespaces/client-b-apps/secrets')).status).toBe(403);
    expect((await prod.request(viewer, 'GET', '/api/v1/namespaces/client-b-apps/configmaps')).status).toBe(200);

    const developerB = { user: 'dev@example.com', groups: ['tenant-client-b-developers'] };
    expect((await prod.request(developerB, 'GET', '/api/v1/namespaces/client-b-apps/pods')).status).toBe(403);
    const staging = clientFor('client-a-staging');
    const developerA = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
    expect((await staging.request(developerA, 'GET', '/api/v1/namespaces/client-a-apps/pods')).status).toBe(200);
    expect((await staging.request(developerA, 'GET', '/api/v1/namespaces/platform-system/pods')).status).toBe(403);
    expect((await staging.request(developerA, 'GET', '/api/v1/namespaces/client-a-apps/secrets')).status).toBe(403);
  });

  it("keep another tenant's people out entirely", async () => {
    const staging = clientFor('client-a-staging');
    const res = await staging.request(
      { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
      'GET',
      '/api/v1/namespaces/client-a-apps/configmaps',
    );
    expect(res.status).toBe(403);
  });
});

describe('audit events on Kubernetes objects', () => {
  it('records an audited change as an Event regarding the object, naming the person', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.hub.bffKubeconfig);
    const client = new ImpersonatingClient(kc);
    const recorder = new KubeEventRecorder(client);
    const requestId = `req-${Date.now()}`;
    await recorder.record(
      { apiVersion: 'cluster.kubernetes-fleet.io/v1beta1', kind: 'MemberCluster', name: 'prod-us-east' },
      {
        requestId,
        actor: 'platform-admin@demo',
        groups: ['fleet-platform-admins'],
        action: 'pause',
        target: 'MemberCluster/prod-us-east',
        result: 'success',
        detail: 'maintenance window',
      },
    );
    const admin = new KubeConfig();
    admin.loadFromFile(env.hub.adminKubeconfig);
    const list = await new ImpersonatingClient(admin).requestAsSelf<{
      items: { note: string; reason: string; regarding: { name: string }; reportingController: string }[];
    }>('GET', '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dprod-us-east');
    const event = list.body.items.find((e) => e.note.includes(requestId));
    expect(event).toMatchObject({ reason: 'Pause', reportingController: 'fleetdeck.dev/bff', regarding: { name: 'prod-us-east' } });
    expect(event?.note).toContain('platform-admin@demo pause success: maintenance window');
  });

  it('cannot be written by the BFF where it has no right (it may not delete or edit them)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.hub.bffKubeconfig);
    const res = await new ImpersonatingClient(kc).requestAsSelf('DELETE', '/apis/events.k8s.io/v1/namespaces/default/events');
    expect(res.status).toBe(403);
  });
});
