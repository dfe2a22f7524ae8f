import { createServer, type Server, type Socket, connect } from 'node:net';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { createSpokeViolationSource } from '../../src/sources/violations/spoke-violation-source.ts';
import type { ViolationSnapshot, ViolationSource } from '../../src/sources/violations/violation-source.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

// Seeded by testbed/src/kube/seed-policies.ts on prod-eu-west (client-b) and seed.ts on both spokes.
const POLICY_SPOKE = 'prod-eu-west';
const OTHER = 'client-a-staging';
const OVER_CAP = 'K8sPSPPrivilegedContainer/psp-privileged-container';

const env = inject('testbed');
const spokeEnv = (name: string) => env.spokes.find((s) => s.name === name)!;
const admin = kubeClient(env, spokeEnv(POLICY_SPOKE), 'admin');
const changes: string[][] = [];
let source: ViolationSource;

/**
 * prod-eu-west is reached through a TCP relay this test controls (as a mesh or Rancher's
 * cluster proxy would carry it), so "the spoke goes away" is the relay closing — no other
 * test's view of the shared testbed changes.
 */
let relay: Server;
const relayed = new Set<Socket>();
let relayPort = 0;
function openRelay(target: URL, port = 0): Promise<number> {
  relay = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    relayed.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
  });
  return new Promise((resolve) => relay.listen(port, '127.0.0.1', () => resolve((relay.address() as { port: number }).port)));
}
function closeRelay(): Promise<void> {
  for (const s of relayed) s.destroy();
  relayed.clear();
  return new Promise((resolve) => relay.close(() => resolve()));
}

function kubeconfig(name: string, server?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(spokeEnv(name).bffKubeconfig);
  if (server)
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, server })),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  return kc;
}

const eventually = eventuallyWithin({ timeoutMs: 30_000, everyMs: 100 });
const snap = () => source.snapshot();
const of = (s: ViolationSnapshot, cluster: string) => s.violations.filter((v) => v.cluster === cluster);
const feed = (s: ViolationSnapshot, cluster: string) => s.feeds.find((f) => f.cluster === cluster)!;

beforeAll(async () => {
  relayPort = await openRelay(new URL(spokeEnv(POLICY_SPOKE).url));
  source = createSpokeViolationSource(
    [
      { cluster: OTHER, kc: kubeconfig(OTHER) },
      { cluster: POLICY_SPOKE, kc: kubeconfig(POLICY_SPOKE, `https://127.0.0.1:${relayPort}`) },
    ],
    { logger: createLogger('silent'), batchMs: 50 },
  );
  source.onChange((clusters) => changes.push([...clusters]));
  await source.start();
});
afterAll(async () => {
  await source?.stop();
  if (relay?.listening) await closeRelay();
});

describe('spoke violation store against the testbed spokes (BFF identity, list/watch only)', () => {
  it('is granted list and watch on exactly the kinds it reads, nothing else', async () => {
    const bff = kubeClient(env, spokeEnv(POLICY_SPOKE), 'bff');
    for (const path of [
      '/apis/kyverno.io/v1/clusterpolicies',
      '/apis/templates.gatekeeper.sh/v1/constrainttemplates',
      '/apis/networking.k8s.io/v1/networkpolicies',
      '/apis/openreports.io/v1alpha1/reports',
      '/apis/constraints.gatekeeper.sh/v1beta1/k8spspprivilegedcontainer',
    ])
      expect((await bff.request('GET', path)).status, path).toBe(200);
    // No get of one object, no writes, no reads of what it does not watch.
    expect((await bff.request('GET', '/apis/kyverno.io/v1/clusterpolicies/require-labels')).status).toBe(403);
    expect((await bff.request('DELETE', '/apis/wgpolicyk8s.io/v1alpha2/namespaces/client-b-apps/policyreports/polr-apps')).status).toBe(
      403,
    );
    expect((await bff.request('GET', '/api/v1/configmaps')).status).toBe(403);
  });

  it('reads every discovered constraint kind and says when Gatekeeper cut the list: 20 of 143', () => {
    const s = snap();
    expect(s.errors).toEqual([]);
    expect(s.feeds.map((f) => [f.cluster, f.state])).toEqual([
      [OTHER, 'live'],
      [POLICY_SPOKE, 'live'],
    ]);
    expect(feed(s, POLICY_SPOKE).lastAuditAt).toEqual(expect.any(String));
    expect(s.truncations).toEqual([{ cluster: POLICY_SPOKE, policy: OVER_CAP, shown: 20, total: 143 }]);
    const listed = of(s, POLICY_SPOKE).filter((v) => v.policy === OVER_CAP);
    expect(listed).toHaveLength(20);
    expect(listed.every((v) => v.severity === 'critical' && v.action === 'deny' && v.firstSeenAt && v.lastSeenAt)).toBe(true);
    // The three basic constraint kinds on each spoke: 1 + 2 + 3 listed violations.
    expect(of(s, OTHER).filter((v) => v.engine === 'gatekeeper')).toHaveLength(6);
  });

  it('reads policy reports in several namespaces (wgpolicyk8s.io and openreports.io), cluster reports, counts and actions', () => {
    const s = snap();
    const kyverno = of(s, POLICY_SPOKE).filter((v) => v.engine === 'kyverno');
    expect([...new Set(kyverno.map((v) => v.resource.namespace ?? '(cluster)'))].sort()).toEqual([
      '(cluster)',
      'client-b-apps',
      'client-b-jobs',
      'client-b-web',
    ]);
    expect(kyverno.find((v) => v.resource.namespace === 'client-b-web')).toMatchObject({ policy: 'disallow-latest-tag', action: 'deny' });
    expect(kyverno.find((v) => v.policy === 'require-requests-limits')!.action).toBe('audit');
    expect(kyverno.find((v) => v.resource.kind === 'Namespace')).toMatchObject({
      resource: { kind: 'Namespace', name: 'platform-system' },
      result: 'warn',
    });
    const counts = s.namespaceCounts.filter((c) => c.cluster === POLICY_SPOKE);
    expect(counts.map((c) => [c.namespace, c.pass, c.fail, c.warn, c.skip])).toEqual([
      ['client-b-apps', 4, 2, 1, 0],
      ['client-b-jobs', 3, 1, 0, 1],
      ['client-b-web', 5, 1, 0, 0],
    ]);
  });

  it('reports baseline coverage, with the missing PDB policy as a finding', () => {
    const cov = (cluster: string, baseline: string) => snap().coverage.find((c) => c.cluster === cluster && c.baseline === baseline)!;
    expect(cov(POLICY_SPOKE, 'require-pdb')).toEqual({ cluster: POLICY_SPOKE, baseline: 'require-pdb', state: 'missing' });
    expect(cov(OTHER, 'require-pdb').state).toBe('missing');
    expect(cov(POLICY_SPOKE, 'deny-privileged')).toMatchObject({ state: 'enforced', engine: 'gatekeeper', policy: OVER_CAP });
    expect(cov(OTHER, 'deny-privileged').state).toBe('missing');
    expect(cov(POLICY_SPOKE, 'deny-latest-tag')).toMatchObject({ state: 'enforced', engine: 'kyverno', policy: 'disallow-latest-tag' });
    expect(cov(POLICY_SPOKE, 'allowed-registries')).toMatchObject({ state: 'audited', engine: 'gatekeeper', action: 'warn' });
    expect(cov(POLICY_SPOKE, 'require-labels')).toMatchObject({ state: 'enforced', engine: 'gatekeeper' });
  });

  it('reports tenant isolation: isolated, missing and too wide', () => {
    const iso = snap().isolation.filter((i) => i.cluster === POLICY_SPOKE);
    const by = Object.fromEntries(iso.map((i) => [i.namespace, i]));
    expect(by['client-b-apps']).toMatchObject({ state: 'isolated', tenant: 'client-b', findings: [], policies: ['tenant-isolation'] });
    expect(by['client-b-jobs']).toMatchObject({ state: 'missing', findings: ['no NetworkPolicy'] });
    expect(by['client-b-web']).toMatchObject({
      state: 'wider',
      findings: ['ingress from any namespace on every port (allow-from-all-namespaces)'],
      policies: ['allow-from-all-namespaces', 'tenant-isolation'],
    });
    // kube-system and other unlabelled namespaces are not tenant namespaces.
    expect(iso.some((i) => i.namespace.startsWith('kube-'))).toBe(false);
  });

  it('sees a report change on the spoke without a restart, and announces that cluster only', async () => {
    const path = '/apis/wgpolicyk8s.io/v1alpha2/namespaces/client-b-jobs/policyreports/polr-v1-change';
    const before = snap().version;
    changes.length = 0;
    await admin.expectOk('PATCH', `${path}?fieldManager=violation-test&force=true`, {
      contentType: 'application/apply-patch+yaml',
      body: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'polr-v1-change', namespace: 'client-b-jobs' },
        results: [
          {
            policy: 'require-labels',
            rule: 'check-for-labels',
            result: 'fail',
            severity: 'low',
            source: 'kyverno',
            resources: [{ kind: 'Pod', name: 'fresh-0', namespace: 'client-b-jobs' }],
          },
        ],
      },
    });
    try {
      const fresh = await eventually('the new finding', () => of(snap(), POLICY_SPOKE).find((v) => v.resource.name === 'fresh-0'));
      expect(fresh).toMatchObject({ policy: 'require-labels', action: 'audit', resource: { namespace: 'client-b-jobs' } });
      expect(snap().version).toBeGreaterThan(before);
      expect(changes.flat().every((c) => c === POLICY_SPOKE)).toBe(true);
      expect(changes.length).toBeGreaterThan(0);
    } finally {
      await admin.request('DELETE', path);
    }
    await eventually('the finding fixed', () => (of(snap(), POLICY_SPOKE).some((v) => v.resource.name === 'fresh-0') ? undefined : true));
  });

  it('discovers a constraint kind that appears later (a new ConstraintTemplate), and drops it when it goes', async () => {
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/k8sdisallowedtags.constraints.gatekeeper.sh';
    const kindPath = '/apis/constraints.gatekeeper.sh/v1beta1/k8sdisallowedtags/no-latest';
    const templatePath = '/apis/templates.gatekeeper.sh/v1/constrainttemplates/k8sdisallowedtags';
    const apply = (path: string, body: unknown) =>
      admin.expectOk('PATCH', `${path}?fieldManager=violation-test&force=true`, { contentType: 'application/apply-patch+yaml', body });
    const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
    await apply(crdPath, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'k8sdisallowedtags.constraints.gatekeeper.sh' },
      spec: {
        group: 'constraints.gatekeeper.sh',
        scope: 'Cluster',
        names: { kind: 'K8sDisallowedTags', plural: 'k8sdisallowedtags', singular: 'k8sdisallowedtags', listKind: 'K8sDisallowedTagsList' },
        versions: [{ name: 'v1beta1', served: true, storage: true, schema, subresources: { status: {} } }],
      },
    });
    try {
      await eventually('the CRD served', async () =>
        (await admin.request('GET', '/apis/constraints.gatekeeper.sh/v1beta1/k8sdisallowedtags')).status === 200 ? true : undefined,
      );
      await apply(kindPath, {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: 'K8sDisallowedTags',
        metadata: { name: 'no-latest' },
        spec: { enforcementAction: 'dryrun' },
      });
      await admin.expectOk('PATCH', `${kindPath}/status`, {
        contentType: 'application/merge-patch+json',
        body: {
          status: { totalViolations: 1, violations: [{ kind: 'Pod', namespace: 'client-b-apps', name: 'web-0', message: 'latest' }] },
        },
      });
      await apply(templatePath, {
        apiVersion: 'templates.gatekeeper.sh/v1',
        kind: 'ConstraintTemplate',
        metadata: { name: 'k8sdisallowedtags' },
        spec: { crd: { spec: { names: { kind: 'K8sDisallowedTags' } } } },
      });
      const found = await eventually('the new kind watched', () =>
        of(snap(), POLICY_SPOKE).find((v) => v.policy === 'K8sDisallowedTags/no-latest'),
      );
      expect(found).toMatchObject({ action: 'dryrun', resource: { kind: 'Pod', namespace: 'client-b-apps', name: 'web-0' } });
    } finally {
      await admin.request('DELETE', templatePath);
      await admin.request('DELETE', crdPath);
    }
    await eventually('the kind gone', () =>
      of(snap(), POLICY_SPOKE).some((v) => v.policy.startsWith('K8sDisallowedTags/')) ? undefined : true,
    );
    // Its watch is dropped, not left failing: the spoke stays live.
    await new Promise((r) => setTimeout(r, 3000));
    expect(feed(snap(), POLICY_SPOKE).state).toBe('live');
  }, 60_000);

  it('keeps a spoke that went away as stale with its last sync time, the other live; it recovers when back', async () => {
    const had = of(snap(), POLICY_SPOKE).length;
    await closeRelay();
    const stale = await eventually('prod-eu-west stale', () => (feed(snap(), POLICY_SPOKE).state === 'stale' ? snap() : undefined));
    expect(feed(stale, POLICY_SPOKE)).toMatchObject({
      state: 'stale',
      lastSyncAt: expect.any(String) as unknown,
      reason: expect.stringContaining(POLICY_SPOKE) as unknown,
    });
    expect(of(stale, POLICY_SPOKE)).toHaveLength(had);
    expect(stale.truncations).toHaveLength(1);
    expect(feed(stale, OTHER).state).toBe('live');
    expect(stale.errors).toEqual([{ source: 'spoke', cluster: POLICY_SPOKE, reason: expect.stringContaining(POLICY_SPOKE) as unknown }]);
    expect(JSON.stringify(stale.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    await openRelay(new URL(spokeEnv(POLICY_SPOKE).url), relayPort);
    await eventually('prod-eu-west live again', () => (feed(snap(), POLICY_SPOKE).state === 'live' ? true : undefined), 45_000);
    expect(snap().errors).toEqual([]);
  }, 60_000);
});
