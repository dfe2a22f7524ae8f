import { readFileSync } from 'node:fs';

import { describe, expect, inject, it } from 'vitest';

import { kubeClient } from '../../src/kube/from-env.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');

interface List<T> {
  items: T[];
}
interface Named {
  metadata: { name: string; labels?: Record<string, string> };
}

const impersonate = (user: string, groups: string[]) => ({ 'Impersonate-User': user, 'Impersonate-Group': groups });

describe('testbed kube-apiservers', () => {
  it('report the real Kubernetes version they were built as', async () => {
    const version = await kubeClient(env, env.hub, 'bff').expectOk<{ gitVersion: string; major: string; minor: string }>('GET', '/version');
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(env.versions['kube-apiserver']).toContain(version.gitVersion);
  });

  it("let the BFF's own identity list MemberClusters on the hub", async () => {
    const list = await kubeClient(env, env.hub, 'bff').expectOk<List<Named>>(
      'GET',
      '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters',
    );
    const names = list.items.map((i) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['prod-us-east', 'prod-eu-west', 'prod-asia', 'edge-retail-012']));
    expect(list.items.find((i) => i.metadata.name === 'prod-eu-west')?.metadata.labels).toMatchObject({
      client: 'client-b',
      env: 'production',
    });
  });

  it('refuse the BFF what it was not granted (no secrets, no writes) under its own identity', async () => {
    const bff = kubeClient(env, env.spokes[0]!, 'bff');
    expect((await bff.request('GET', '/api/v1/namespaces/client-a-apps/secrets')).status).toBe(403);
    const hub = kubeClient(env, env.hub, 'bff');
    const res = await hub.request('DELETE', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-us-east');
    expect(res.status).toBe(403);
  });

  it('let the BFF impersonate a demo group, with one Impersonate-Group line per group', async () => {
    const hub = kubeClient(env, env.hub, 'bff');
    const review = await hub.expectOk<{ status: { userInfo: { username: string; groups: string[] } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        headers: impersonate('client-a-admin@demo', ['tenant-client-a-admins', 'fleet-viewers']),
      },
    );
    expect(review.status.userInfo.username).toBe('client-a-admin@demo');
    expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(['tenant-client-a-admins', 'fleet-viewers']));
    // A Tenant Admin may read their own clusters by name, and not another tenant's.
    const own = await hub.request('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-us-east', {
      headers: impersonate('client-a-admin@demo', ['tenant-client-a-admins']),
    });
    expect(own.status).toBe(200);
    const other = await hub.request('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-eu-west', {
      headers: impersonate('client-a-admin@demo', ['tenant-client-a-admins']),
    });
    expect(other.status).toBe(403);
  });

  it('refuse the BFF to impersonate a group outside the access policy', async () => {
    const res = await kubeClient(env, env.hub, 'bff').request('GET', '/api/v1/namespaces', {
      headers: impersonate('mallory', ['system:masters']),
    });
    expect(res.status).toBe(403);
  });

  it('refuse an impersonated Viewer a write: the 403 comes from kube-apiserver itself', async () => {
    const spoke = kubeClient(
      env,
      env.spokes.find((s) => s.name === 'prod-eu-west')!,
      'bff',
    );
    const asViewer = impersonate('client-b-viewer@demo', ['tenant-client-b-viewers']);
    // The viewer can read…
    expect((await spoke.request('GET', '/api/v1/namespaces/client-b-apps/configmaps', { headers: asViewer })).status).toBe(200);
    // …but neither write nor read secrets.
    const write = await spoke.request<{ kind: string; reason: string; details?: unknown }>(
      'POST',
      '/api/v1/namespaces/client-b-apps/configmaps',
      {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'viewer-was-here' }, data: {} },
        headers: asViewer,
      },
    );
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    expect(write.text).toContain('client-b-viewer@demo');
    expect((await spoke.request('GET', '/api/v1/namespaces/client-b-apps/secrets', { headers: asViewer })).status).toBe(403);
  });

  it("record the person, not the BFF, as the user in the API server's audit log", async () => {
    const spoke = env.spokes.find((s) => s.name === 'prod-eu-west')!;
    await kubeClient(env, spoke, 'bff').request('GET', '/api/v1/namespaces/client-b-apps/configmaps/app-config', {
      headers: impersonate('client-b-viewer@demo', ['tenant-client-b-viewers']),
    });
    const auditLog = `${env.runDir}/${spoke.name}/audit.log`;
    let events: { user: { username: string }; impersonatedUser?: { username: string }; objectRef?: { name?: string } }[] = [];
    for (let i = 0; i < 50 && !events.some((e) => e.objectRef?.name === 'app-config' && e.impersonatedUser); i++) {
      events = readFileSync(auditLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as (typeof events)[number]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const event = events.find((e) => e.objectRef?.name === 'app-config' && e.impersonatedUser);
    expect(event?.user.username).toBe('fleetdeck-bff');
    expect(event?.impersonatedUser?.username).toBe('client-b-viewer@demo');
  });
});

describe('testbed Prometheus', () => {
  it('answers a range query over the seeded 24 h with a series for every cluster', async () => {
    const clusters = (
      await kubeClient(env, env.hub, 'admin').expectOk<List<Named>>('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters')
    ).items.map((i) => i.metadata.name);
    const end = Math.floor(Date.parse(env.startedAt) / 1000);
    const params = new URLSearchParams({
      query: 'sum(kube_node_status_condition{condition="Ready",status="true"}) by (cluster)',
      start: String(end - 23 * 3600),
      end: String(end),
      step: '300',
    });
    const res = await fetch(`${env.prometheus.url}/api/v1/query_range?${params}`);
    const body = (await res.json()) as {
      status: string;
      data: { resultType: string; result: { metric: { cluster: string }; values: [number, string][] }[] };
    };
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('matrix');
    expect(body.data.result.map((r) => r.metric.cluster).sort()).toEqual([...clusters].sort());
    for (const series of body.data.result) expect(series.values.length).toBeGreaterThan(250);
  });
});

describe('testbed Loki-API stand-in', () => {
  it("returns pushed lines in Loki's streams envelope", async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const push = await fetch(`${env.loki.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        streams: [
          {
            stream: { cluster: 'prod-us-east', namespace: 'client-a-apps', pod: 'probe-0' },
            values: [[now.toString(), 'integration probe line']],
          },
        ],
      }),
    });
    expect(push.status).toBe(204);
    const params = new URLSearchParams({
      query: '{cluster="prod-us-east", pod="probe-0"} |= "probe"',
      start: String(now - 60_000_000_000n),
      end: String(now + 1_000_000_000n),
      limit: '10',
    });
    const body = (await (await fetch(`${env.loki.url}/loki/api/v1/query_range?${params}`)).json()) as {
      status: string;
      data: { resultType: string; result: { stream: Record<string, string>; values: [string, string][] }[]; stats: unknown };
    };
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('streams');
    expect(body.data.result).toEqual([
      {
        stream: expect.objectContaining({ cluster: 'prod-us-east', pod: 'probe-0' }) as unknown,
        values: [[now.toString(), 'integration probe line']],
      },
    ]);
    expect(body.data.stats).toBeTypeOf('object');
  });

  it('holds the seeded application logs of every cluster', async () => {
    const end = BigInt(Date.parse(env.startedAt)) * 1_000_000n;
    const params = new URLSearchParams({
      query: 'sum by (cluster) (count_over_time({namespace=~"client-.*-apps"}[1h]))',
      time: String(end),
    });
    const body = (await (await fetch(`${env.loki.url}/loki/api/v1/query?${params}`)).json()) as {
      data: { resultType: string; result: { metric: { cluster: string } }[] };
    };
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result.length).toBe(20);
  });
});
