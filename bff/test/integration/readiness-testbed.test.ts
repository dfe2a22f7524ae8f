import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import { Rollout, WaveReadiness, type Principal } from '@fleetdeck/shared';

import { remoteWrite } from '../../../testbed/src/prom/remote-write.ts';
import type { RunningServer } from '../../src/server.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { createClientARun, createClientAStrategy } from '../helpers/kubefleet-hub.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * Promotion readiness in real mode on the testbed: a KubeFleet run whose staging wave
 * (client-a-staging, a real spoke) waits at its after-stage approval. Pod health pushed into
 * the testbed Prometheus by remote write makes it Not ready with that reason; a policy
 * report created on the spoke after the wave started is listed as introduced by it; and
 * what Prometheus receives (counted by a proxy in front of it) is the same number of
 * queries for a wave of 3 clusters as for one of 30.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const NS = 'fleet-client-a';
const TAG = Date.now().toString(36);
const RUN = `rt-${TAG}`;
const STRATEGY = `${RUN}-waves`;
const ID = `kubefleet-namespaced~${NS}~${RUN}`;
const CLUSTER = 'client-a-staging';
const POLICY = `readiness-${TAG}`;
/** A namespace of our own on the spoke, for the policy report. */
const SPOKE_NS = `client-a-rt-${TAG}`;
const PEOPLE = {
  platform: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] },
  bViewer: { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
} satisfies Record<string, Principal>;

let bff: RunningServer;
let proxy: Server;
/** Instant and range queries Prometheus received through the proxy. */
let queries = 0;

/** A proxy in front of the testbed Prometheus that counts the queries it forwards. */
async function countingProxy(target: string): Promise<string> {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/api/v1/query')) queries++;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(target + req.url, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(body && { body }),
      })
        .then(async (up) => {
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

/** Pods by phase for these clusters, now (a namespace of our own, so nothing seeded is touched). */
async function pushPods(clusters: readonly string[], running: number, pending: number): Promise<void> {
  const timestampMs = Date.now();
  const series = clusters.flatMap((cluster) =>
    (
      [
        ['Running', running],
        ['Pending', pending],
      ] as const
    ).map(([phase, value]) => ({
      name: 'kube_pod_status_phase',
      labels: { cluster, namespace: `rt-${TAG}`, phase, job: 'kube-state-metrics' },
      samples: [{ value, timestampMs }],
    })),
  );
  const r = await remoteWrite(env.prometheus.url, series);
  expect(r.status, r.text).toBeLessThan(300);
}

async function readiness(who: keyof typeof PEOPLE, wave: string): Promise<Response> {
  return fetch(`${bff.url}/api/rollouts/${ID}/waves/${wave}/readiness`, { headers: { cookie: await forgeSessionCookie(PEOPLE[who]) } });
}

const eventually = eventuallyWithin({ timeoutMs: 90_000, everyMs: 1000 });

beforeAll(async () => {
  await createClientAStrategy(admin, STRATEGY);
  await createClientARun(admin, { name: RUN, strategy: STRATEGY, snapshot: '2' });
  const url = await countingProxy(env.prometheus.url);
  bff = await startTestbedBff(env, {
    prometheus: { url, timeoutSeconds: 20 },
    spokes: { kubeconfigs: Object.fromEntries(env.spokes.map((s) => [s.name, s.bffKubeconfig])) },
  });
  await eventually('the staging wave waiting for approval', async () => {
    const res = await fetch(`${bff.url}/api/rollouts/${ID}`, { headers: { cookie: await forgeSessionCookie(PEOPLE.platform) } });
    if (res.status !== 200) return undefined;
    const r = Rollout.parse(await res.json());
    return r.awaitingApproval?.wave === 'staging' ? r : undefined;
  });
}, 150_000);

afterAll(async () => {
  await bff?.close();
  await new Promise((r) => proxy?.close(r));
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdateruns/${RUN}`);
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdatestrategies/${STRATEGY}`);
  const spoke = env.spokes.find((s) => s.name === CLUSTER);
  if (spoke) {
    const client = kubeClient(env, spoke, 'admin');
    // The testbed runs no namespace controller: a deleted namespace keeps its objects, so the
    // policy report is deleted itself (later tests count the cluster's findings).
    await client.request('DELETE', `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${SPOKE_NS}/policyreports/${POLICY}`);
    await client.request('DELETE', `/api/v1/namespaces/${SPOKE_NS}`);
  }
});

describe('promotion readiness on the testbed', () => {
  it('is Not ready when the wave’s cluster is under 95% pods healthy, and says so', async () => {
    await pushPods([CLUSTER], 10, 200);
    const res = await readiness('platform', 'staging');
    expect(res.status).toBe(200);
    const r = WaveReadiness.parse(await res.json());
    expect(r.verdict).toBe('NotReady');
    const pod = r.checks.find((c) => c.id === 'pod-health')!;
    expect(pod.status).toBe('fail');
    expect(pod.clusters[0]).toMatchObject({ cluster: CLUSTER, status: 'fail' });
    expect(pod.clusters[0]!.value).toBeLessThan(0.95);
    expect(r.reasons.find((x) => x.startsWith('Pod health:'))).toContain(CLUSTER);
    expect(pod.evidence[0]!.href).toMatch(new RegExp(`^/fleet/clusters/${CLUSTER}\\?from=`));
    expect(r.checks.find((c) => c.id === 'rollout-result')!.status).toBe('pass');
  });

  it('answers 404 to a person who may not see the run, as for one that does not exist', async () => {
    const hidden = await readiness('bViewer', 'staging');
    expect(hidden.status).toBe(404);
    const missing = await fetch(`${bff.url}/api/rollouts/${ID}x/waves/staging/readiness`, {
      headers: { cookie: await forgeSessionCookie(PEOPLE.bViewer) },
    });
    expect(missing.status).toBe(404);
    expect(((await hidden.json()) as { detail?: string }).detail).toBe(((await missing.json()) as { detail?: string }).detail);
  });

  it('lists a violation that appeared on the wave’s cluster after the wave started as introduced, and only that one', async () => {
    const before = WaveReadiness.parse(await (await readiness('platform', 'staging')).json());
    expect(before.introducedViolations.items.filter((v) => v.policy === POLICY)).toEqual([]);
    const spoke = kubeClient(
      env,
      env.spokes.find((s) => s.name === CLUSTER)!,
      'admin',
    );
    await spoke.expectOk('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SPOKE_NS, labels: { client: 'client-a' } } },
    });
    await spoke.expectOk('POST', `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${SPOKE_NS}/policyreports`, {
      body: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: POLICY, namespace: SPOKE_NS },
        summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
        results: [
          {
            policy: POLICY,
            rule: 'check',
            result: 'fail',
            severity: 'high',
            category: 'Best Practices',
            message: `${POLICY}: Pod web-0 failed check`,
            source: 'kyverno',
            timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
            resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: SPOKE_NS }],
          },
        ],
      },
    });
    const r = await eventually('the new violation listed as introduced', async () => {
      const x = WaveReadiness.parse(await (await readiness('platform', 'staging')).json());
      return x.introducedViolations.items.some((v) => v.policy === POLICY) ? x : undefined;
    });
    // The seeded violations were there before the wave started (or before the BFF first read the spoke).
    expect(r.introducedViolations.items.map((v) => [v.cluster, v.policy, v.namespace])).toEqual([[CLUSTER, POLICY, SPOKE_NS]]);
    const check = r.checks.find((c) => c.id === 'violations-introduced')!;
    expect(check).toMatchObject({ status: 'fail', clusters: [{ cluster: CLUSTER, status: 'fail', value: 1 }] });
    expect(check.evidence).toEqual([{ kind: 'violations', label: `Violations on ${CLUSTER}`, href: `/violations?cluster=${CLUSTER}` }]);
    expect(r.reasons.some((x) => x.startsWith('Violations introduced:'))).toBe(true);
  });

  it('sends Prometheus the same number of queries for a wave of 3 clusters as for one of 30', async () => {
    const run = bff.services.rollouts.get(ID)!;
    const synthetic = (n: number): SourceRollout => {
      const names = Array.from({ length: n }, (_, i) => `rt-${TAG}-${n}-${i}`);
      const wave = run.waves.find((w) => w.name === 'staging')!;
      return {
        ...run,
        id: `${ID}-${n}`,
        touches: names,
        waves: [
          {
            ...wave,
            clusters: names.map((cluster) => ({
              cluster,
              state: 'Succeeded' as const,
              ...(wave.startedAt && { startedAt: wave.startedAt }),
            })),
          },
        ],
      };
    };
    const count = async (n: number) => {
      const r = synthetic(n);
      await pushPods(r.touches, 99, 1);
      const at = queries;
      const result = await bff.services.readiness.evaluateUnscoped(r, 'staging');
      const sent = queries - at;
      const pod = result.checks.find((c) => c.id === 'pod-health')!;
      // Every cluster got its figure from the one pod-health query.
      expect(pod.clusters.filter((c) => c.value === 0.99)).toHaveLength(n);
      return sent;
    };
    const three = await count(3);
    const thirty = await count(30);
    expect(three).toBeGreaterThan(0);
    expect(three).toBeLessThanOrEqual(4);
    expect(thirty).toBe(three);
  });
});
