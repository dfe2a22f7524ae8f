import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';

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
