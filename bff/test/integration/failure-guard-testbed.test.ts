import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { BFF_LEASE_ROLE, BFF_USER } from '../../../testbed/src/kube/rbac.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { claimFailure } from '../../src/promotion/failure-claim.ts';
import { FAILURE_RULE_ACTOR } from '../../src/promotion/failure-guard.ts';
import { createLeadership } from '../../src/promotion/leader-lease.ts';
import type { RunningServer } from '../../src/server.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * The failure threshold on the testbed hub with two BFF replicas: a Lease elects one, the
 * KubeFleet stand-in fails a cluster (`fleetdeck.dev/testbed-fail: keep-going`, the run goes
 * on), and the run is stopped and rolled back exactly once — counted on the hub — or only
 * stopped under `fleetdeck.dev/on-failure: pause`. Everything is read as the testbed admin.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const ID = `fg${Date.now().toString(36)}`;
const LEASE_NS = `${ID}-lease`;
const LEASE_SECONDS = 5;
const FAIL_LABEL = 'fleetdeck.dev/testbed-fail';

interface Run {
  metadata: { name: string; annotations?: Record<string, string>; creationTimestamp?: string };
  spec: { placementName: string; resourceSnapshotIndex?: string; state?: string; stagedRolloutStrategyName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

const replicas: RunningServer[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

function bffHub(): ImpersonatingClient {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  return new ImpersonatingClient(kc);
}

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 200 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function create(path: string, body: Record<string, unknown>): Promise<void> {
  await admin.expectOk('POST', path, { body });
  const name = (body.metadata as { name: string }).name;
  cleanups.push(() => admin.request('DELETE', `${path}/${name}`));
}

const memberCluster = (name: string, labels: Record<string, string>) =>
  create('/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters', {
    apiVersion: 'cluster.kubernetes-fleet.io/v1beta1',
    kind: 'MemberCluster',
    metadata: { name, labels: { client: 'client-a', env: 'staging', region: 'us-east', ...labels } },
    spec: { identity: { kind: 'ServiceAccount', name: 'fleet-member-agent', namespace: 'fleet-system', apiGroup: '' } },
  });

const strategy = (name: string, selector: Record<string, string>) =>
  create(`${P}/clusterstagedupdatestrategies`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'ClusterStagedUpdateStrategy',
    metadata: { name },
    spec: { stages: [{ name: 'canary', labelSelector: { matchLabels: selector }, maxConcurrency: 1 }] },
  });

const run = (name: string, placement: string, snapshot: string, strategyName: string, annotations: Record<string, string> = {}) =>
  create(`${P}/clusterstagedupdateruns`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'ClusterStagedUpdateRun',
    metadata: { name, annotations },
    spec: { placementName: placement, resourceSnapshotIndex: snapshot, stagedRolloutStrategyName: strategyName, state: 'Run' },
  });

const getRun = (name: string) => admin.expectOk<Run>('GET', `${P}/clusterstagedupdateruns/${name}`);
const runsOf = async (placement: string) =>
  (await admin.expectOk<{ items: Run[] }>('GET', `${P}/clusterstagedupdateruns`)).items.filter((r) => r.spec.placementName === placement);
const succeeded = (r: Run) => r.status?.conditions?.some((c) => c.type === 'Succeeded' && c.status === 'True') ?? false;

/** The rule's audit records of one rollout, over both replicas. */
const ruleRecords = (id: string) =>
  replicas.flatMap((b) => b.services.audit.recent(1000)).filter((a) => a.actor === FAILURE_RULE_ACTOR && a.target === id);

beforeAll(async () => {
  // The Lease namespace exists before the BFF starts (the chart's release namespace); the BFF may use Leases there only.
  await admin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEASE_NS } } });
  cleanups.push(() => admin.request('DELETE', `/api/v1/namespaces/${LEASE_NS}`));
  await admin.expectOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${LEASE_NS}/rolebindings`, {
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'bff-lease', namespace: LEASE_NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: BFF_LEASE_ROLE },
      subjects: [{ kind: 'User', name: BFF_USER, apiGroup: 'rbac.authorization.k8s.io' }],
    },
  });
  await memberCluster(`${ID}-a-bad`, { [ID]: 'wave', [FAIL_LABEL]: 'keep-going' });
  await memberCluster(`${ID}-b-ok`, { [ID]: 'wave', [`${ID}-ok`]: 'true' });
  await strategy(`${ID}-good`, { [`${ID}-ok`]: 'true' });
  await strategy(`${ID}-all`, { [ID]: 'wave' });
  // A run of each placement delivered snapshot 0 before: that is what a roll back returns to.
  await run(`${ID}-web-0`, `${ID}-web`, '0', `${ID}-good`);
  await run(`${ID}-api-0`, `${ID}-api`, '0', `${ID}-good`);
  await eventually('the earlier runs to succeed', async () =>
    succeeded(await getRun(`${ID}-web-0`)) && succeeded(await getRun(`${ID}-api-0`)) ? true : undefined,
  );
  const promotion = { lease: { namespace: LEASE_NS, durationSeconds: LEASE_SECONDS } };
  for (let i = 0; i < 2; i++) replicas.push(await startTestbedBff(env, { promotion }));
}, 120_000);

afterAll(async () => {
  for (const b of replicas) await b.close();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  // Roll back runs the rule created.
  for (const r of [...(await runsOf(`${ID}-web`)), ...(await runsOf(`${ID}-api`)), ...(await runsOf(`${ID}-svc`))])
    await admin.request('DELETE', `${P}/clusterstagedupdateruns/${r.metadata.name}`);
});

describe('the failure threshold with two replicas (testbed hub, KubeFleet stand-in)', () => {
  it('elects exactly one replica through the Lease on the hub', async () => {
    const leader = await eventually('a leader', () => {
      const leading = replicas.filter((b) => b.services.leadership.isLeader());
      return leading.length === 1 ? leading[0] : undefined;
    });
    const lease = await admin.expectOk<{ spec: { holderIdentity?: string } }>(
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases/fleetdeck-promotion`,
    );
    expect(lease.spec.holderIdentity).toBe(leader.services.leadership.identity);
    expect(replicas.filter((b) => b.services.leadership.isLeader())).toHaveLength(1);
  });

  it('stops the run and rolls it back exactly once when its wave reaches the threshold, audited as the rule', async () => {
    const name = `${ID}-web-1`;
    const id = `kubefleet~~${name}`;
    await run(name, `${ID}-web`, '1', `${ID}-all`, { 'fleetdeck.dev/failure-threshold': '1' });
    const stopped = await eventually('the run stopped and claimed', async () => {
      const r = await getRun(name);
      return r.spec.state === 'Stop' ? r : undefined;
    });
    expect(stopped.metadata.annotations?.['fleetdeck.dev/failure-handled']).toBe('canary@1');
    const back = await eventually('the roll back run', async () =>
      (await runsOf(`${ID}-web`)).find((r) => r.metadata.name !== name && r.metadata.name !== `${ID}-web-0`),
    );
    // Named after the claim, so a resumed claim meets this run instead of making another.
    expect(back.metadata.name).toMatch(new RegExp(`^${name}-rollback-[0-9a-f]{8}$`));
    expect(back.spec).toMatchObject({ resourceSnapshotIndex: '0', stagedRolloutStrategyName: `${ID}-all`, state: 'Run' });
    // Give the other replica (and later change events) time to act again, if they were going to.
    await sleep(3 * 1000);
    expect((await runsOf(`${ID}-web`)).map((r) => r.metadata.name).sort()).toEqual([`${ID}-web-0`, name, back.metadata.name].sort());
    expect((await getRun(name)).metadata.annotations?.['fleetdeck.dev/failure-progress']).toBe('done');
    const records = ruleRecords(id);
    expect(records.filter((a) => a.action === 'pause')).toHaveLength(1);
    expect(records.filter((a) => a.action === 'rollback')).toHaveLength(1);
    expect(records.every((a) => a.result === 'success')).toBe(true);
    expect(records[0]!.detail).toContain('1 of 2 clusters failed (failure threshold 1)');
    // The Kubernetes Events on the run name the rule, once per action.
    const events = await eventually('the Events on the run', async () => {
      const list = await admin.expectOk<{ items: { note?: string; action?: string; regarding?: { name?: string } }[] }>(
        'GET',
        '/apis/events.k8s.io/v1/namespaces/default/events',
      );
      const ours = list.items.filter((e) => e.regarding?.name === name && e.note?.startsWith(FAILURE_RULE_ACTOR));
      return ours.length >= 2 ? ours : undefined;
    });
    expect(events.map((e) => e.action).sort()).toEqual(['Pause', 'Rollback']);
  });

  it('only stops the run under fleetdeck.dev/on-failure: pause (a roll back target exists, none is created)', async () => {
    const name = `${ID}-api-1`;
    await run(name, `${ID}-api`, '1', `${ID}-all`, { 'fleetdeck.dev/failure-threshold': '1', 'fleetdeck.dev/on-failure': 'pause' });
    await eventually('the run stopped', async () => ((await getRun(name)).spec.state === 'Stop' ? true : undefined));
    await sleep(3 * 1000);
    expect((await runsOf(`${ID}-api`)).map((r) => r.metadata.name).sort()).toEqual([`${ID}-api-0`, name].sort());
    const records = ruleRecords(`kubefleet~~${name}`);
    expect(records.map((a) => a.action)).toEqual(['pause']);
    // The roll back stays on offer to people: the rollout has a plan back to snapshot 0.
    expect(replicas[0]!.services.rollouts.get(`kubefleet~~${name}`)?.rollback?.toRevision).toBe('0');
  });

  it('finishes, once, a failure whose claimer died mid-way (claimed, still acting long after)', async () => {
    await run(`${ID}-svc-0`, `${ID}-svc`, '0', `${ID}-good`);
    await eventually('the earlier run to succeed', async () => (succeeded(await getRun(`${ID}-svc-0`)) ? true : undefined));
    const name = `${ID}-svc-1`;
    // As a replica leaves it when it dies right after claiming: the claim is there, the steps are not done.
    await run(name, `${ID}-svc`, '1', `${ID}-all`, {
      'fleetdeck.dev/failure-threshold': '1',
      'fleetdeck.dev/failure-handled': 'canary@1',
      'fleetdeck.dev/failure-progress': `acting@${new Date(Date.now() - 10 * 60_000).toISOString()}`,
    });
    await eventually('the run stopped', async () => ((await getRun(name)).spec.state === 'Stop' ? true : undefined));
    const back = await eventually('the roll back run', async () =>
      (await runsOf(`${ID}-svc`)).find((r) => r.metadata.name.startsWith(`${name}-rollback-`)),
    );
    await eventually('the claim finished', async () =>
      (await getRun(name)).metadata.annotations?.['fleetdeck.dev/failure-progress'] === 'done' ? true : undefined,
    );
    await sleep(3 * 1000);
    expect((await runsOf(`${ID}-svc`)).map((r) => r.metadata.name).sort()).toEqual([`${ID}-svc-0`, name, back.metadata.name].sort());
    expect(ruleRecords(`kubefleet~~${name}`).filter((a) => a.action === 'rollback')).toHaveLength(1);
  });

  it('lets exactly one of many concurrent claims of one failure win, as the BFF identity', async () => {
    const object = { apiVersion: 'placement.kubernetes-fleet.io/v1beta1', kind: 'ClusterStagedUpdateRun', name: `${ID}-web-0` };
    const clients = [bffHub(), bffHub()];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claimFailure(clients[i % 2]!, object, 'canary@0')));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'taken')).toHaveLength(7);
    expect((await getRun(`${ID}-web-0`)).metadata.annotations?.['fleetdeck.dev/failure-handled']).toBe('canary@0');
  });
});

describe('the leader Lease (two Leadership instances on the testbed hub)', () => {
  it('has exactly one leader; stopping it hands the Lease over within one duration', async () => {
    const base = replicas[0]!.services.config;
    const config: Config = {
      ...base,
      promotion: { ...base.promotion, lease: { namespace: LEASE_NS, name: `${ID}-handover`, durationSeconds: LEASE_SECONDS } },
    };
    const logger = createLogger('silent');
    const [a, b] = [0, 1].map((i) => createLeadership({ config, logger, hubClient: bffHub(), identity: `${ID}-replica-${i}` }));
    await Promise.all([a!.start(), b!.start()]);
    try {
      const first = await eventually('one leader', () => ([a!, b!].filter((l) => l.isLeader()).length === 1 ? true : undefined), 10_000);
      expect(first).toBe(true);
      const [leader, follower] = a!.isLeader() ? [a!, b!] : [b!, a!];
      // It stays so across renewals.
      await sleep(LEASE_SECONDS * 1000);
      expect([leader.isLeader(), follower.isLeader()]).toEqual([true, false]);
      const changes: boolean[] = [];
      follower.onChange((v) => changes.push(v));
      const stoppedAt = Date.now();
      await leader.stop();
      expect(leader.isLeader()).toBe(false);
      await eventually('the follower to lead', () => (follower.isLeader() ? true : undefined), LEASE_SECONDS * 1000);
      expect(Date.now() - stoppedAt).toBeLessThan(LEASE_SECONDS * 1000);
      expect(changes).toEqual([true]);
      const lease = await admin.expectOk<{ spec: { holderIdentity?: string; leaseTransitions?: number } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases/${ID}-handover`,
      );
      expect(lease.spec.holderIdentity).toBe(follower.identity);
      expect(lease.spec.leaseTransitions).toBe(1);
    } finally {
      await a!.stop();
      await b!.stop();
    }
  }, 30_000);

  it('is refused a Lease outside the namespace it was granted, and then leads nowhere', async () => {
    const base = replicas[0]!.services.config;
    const config: Config = {
      ...base,
      promotion: { ...base.promotion, lease: { namespace: 'default', name: `${ID}-denied`, durationSeconds: LEASE_SECONDS } },
    };
    const l = createLeadership({ config, logger: createLogger('silent'), hubClient: bffHub(), identity: `${ID}-denied` });
    await l.start();
    try {
      expect(l.isLeader()).toBe(false);
      expect((await admin.request('GET', `/apis/coordination.k8s.io/v1/namespaces/default/leases/${ID}-denied`)).status).toBe(404);
    } finally {
      await l.stop();
    }
  });
});
