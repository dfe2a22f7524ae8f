import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { approveWave } from '../../src/sources/kubefleet/rollouts/approve.ts';
import { listMapProbe } from '../../src/sources/kubefleet/rollouts/list-map-probe.ts';
import { readApproval } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { kubeFleetRolloutSource } from '../../src/sources/kubefleet/rollouts/kubefleet-rollout-source.ts';
import { RolloutActionError, type RolloutSource, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { singleApproval } from '../helpers/approval-decision.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const NS = 'fleet-client-a';
const platformAdmin = { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] };
const clientAAdmin = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const clientBAdmin = { user: 'client-b-admin@demo', groups: ['tenant-client-b-admins'] };
const ctx = (principal: { user: string; groups: string[] }) => ({ principal, requestId: `req-${Date.now()}` });

interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}
interface Approval {
  metadata: { generation: number; resourceVersion: string };
  status?: { conditions?: Cond[] };
}

let source: RolloutSource;
let writer: ImpersonatingClient;
const created: string[] = [];

const eventually = eventuallyWithin({ timeoutMs: 30_000, everyMs: 150, falseIsPending: true });

const rollout = (id: string) => eventually(`rollout ${id}`, () => source.get(id));
// Right after the testbed starts, the stand-in may still be walking the seeded runs to their gates:
// the waits below allow a minute, and those tests a minute and a half.
const rolloutWhere = (id: string, what: string, ok: (r: SourceRollout) => boolean, timeoutMs?: number) =>
  eventually(
    `${id}: ${what}`,
    () => {
      const r = source.get(id);
      return r && ok(r) ? r : undefined;
    },
    timeoutMs,
  );

async function create(path: string, body: Record<string, unknown>): Promise<void> {
  await admin.expectOk('POST', path, { body });
  created.push(`${path}/${(body.metadata as { name: string }).name}`);
}
const strategy = (name: string, stages: unknown[]) =>
  create(`${P}/namespaces/${NS}/stagedupdatestrategies`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'StagedUpdateStrategy',
    metadata: { name, namespace: NS },
    spec: { stages },
  });
const run = (name: string, placement: string, index: string, strategyName: string, state = 'Run') =>
  create(`${P}/namespaces/${NS}/stagedupdateruns`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'StagedUpdateRun',
    metadata: { name, namespace: NS },
    spec: { placementName: placement, resourceSnapshotIndex: index, stagedRolloutStrategyName: strategyName, state },
  });
const clusterStrategy = (name: string, stages: unknown[]) =>
  create(`${P}/clusterstagedupdatestrategies`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'ClusterStagedUpdateStrategy',
    metadata: { name },
    spec: { stages },
  });
const clusterRun = (name: string, placement: string, index: string, strategyName: string) =>
  create(`${P}/clusterstagedupdateruns`, {
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'ClusterStagedUpdateRun',
    metadata: { name },
    spec: { placementName: placement, resourceSnapshotIndex: index, stagedRolloutStrategyName: strategyName, state: 'Run' },
  });
const nsId = (name: string) => `kubefleet-namespaced~${NS}~${name}`;
const staging = { matchLabels: { client: 'client-a', env: 'staging' } };

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  writer = new ImpersonatingClient(kc);
  source = kubeFleetRolloutSource(kc, writer, {
    logger: createLogger('silent'),
    tenantForNamespace: (ns) => (ns.startsWith('fleet-') ? ns.slice('fleet-'.length) : undefined),
  });
  await source.start();
});

afterAll(async () => {
  await source?.stop();
  for (const path of created.reverse()) await admin.request('DELETE', path);
});

describe('the KubeFleet rollout source against the testbed hub', () => {
  it('maps the seeded cluster-scoped run: waves in strategy order, clusters, gates, limits', async () => {
    const strat = await admin.expectOk<{ spec: { stages: { name: string; maxConcurrency?: unknown }[] } }>(
      'GET',
      `${P}/clusterstagedupdatestrategies/client-a-waves`,
    );
    const r = await rolloutWhere('kubefleet~~client-a-patch-2026-11', 'initialized', (x) => x.waves.length > 0);
    expect(r.target).toBe('client-a-platform');
    expect(r.revision).toBe('3');
    expect(r.object).toMatchObject({ kind: 'ClusterStagedUpdateRun', name: 'client-a-patch-2026-11' });
    expect(r.object!.uid).toMatch(/.+/);
    // The version read is v1 when the hub serves it, else v1beta1.
    const group = await admin.expectOk<{ versions: { version: string }[] }>('GET', '/apis/placement.kubernetes-fleet.io');
    const served = group.versions.map((v) => v.version);
    expect(r.object!.apiVersion).toBe(`placement.kubernetes-fleet.io/${served.includes('v1') ? 'v1' : 'v1beta1'}`);
    expect(r.waves.map((w) => w.name)).toEqual(strat.spec.stages.map((s) => s.name));
    expect(r.waves.map((w) => w.maxConcurrency)).toEqual(strat.spec.stages.map((s) => s.maxConcurrency ?? 1));
    expect(r.waves[0]!.clusters.length).toBeGreaterThan(0);
    expect(r.touches.length).toBe(r.waves.reduce((n, w) => n + w.clusters.length, 0));
    expect(r.waves[0]!.gates).toEqual([
      expect.objectContaining({ kind: 'Approval', position: 'after', approvalName: `client-a-patch-2026-11-after-${r.waves[0]!.name}` }),
    ]);
    expect(source.errors()).toEqual([]);
    expect(source.list().some((x) => x.id === `kubefleet-namespaced~fleet-client-b~client-b-apps-v42` && x.tenant === 'client-b')).toBe(
      true,
    );
  });

  it('an unreachable hub: start still resolves, errors() says which watches are down, naming nothing else', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.hub.bffKubeconfig);
    const cluster = kc.getCurrentCluster()!;
    kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server: 'https://127.0.0.1:1' } : c));
    const down = kubeFleetRolloutSource(kc, new ImpersonatingClient(kc), {
      logger: createLogger('silent'),
      tenantForNamespace: () => undefined,
    });
    try {
      await down.start();
      const errors = await eventually('four watches down', () => (down.errors().length === 4 ? down.errors() : undefined));
      for (const e of errors) {
        expect(e.source).toBe('kubefleet');
        expect(e.reason).toMatch(/^the watch of (cluster )?(staged update runs|approval requests) is down; showing the last known state$/);
        expect(e.cluster).toBeUndefined();
      }
      expect(down.list()).toEqual([]);
    } finally {
      await down.stop();
    }
  });

  it('a namespaced client-a run reaching its approval gate shows AwaitingApproval', async () => {
    // A run of its own (the seeded client-a-apps-v7 belongs to the testbed's tests, which may run first and approve it).
    await strategy('kfsrc-gate', [{ name: 'staging', labelSelector: staging, afterStageTasks: [{ type: 'Approval' }] }]);
    await run('kfsrc-gate', 'kfsrc-gate-app', '4', 'kfsrc-gate');
    const r = await rolloutWhere(nsId('kfsrc-gate'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    expect(r.tenant).toBe('client-a');
    expect(r.awaitingApproval).toEqual({ wave: 'staging', position: 'after' });
    expect(r.waves[0]!.gates[0]).toMatchObject({ kind: 'Approval', state: 'Waiting', approvalName: 'kfsrc-gate-after-staging' });
  }, 90_000);

  it("another tenant's admin is refused by the API server (403) and the request stays as it was", async () => {
    const r = await rolloutWhere(nsId('kfsrc-gate'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const path = `${P}/namespaces/${NS}/approvalrequests/kfsrc-gate-after-staging`;
    const before = await admin.expectOk<Approval>('GET', path);
    const err = await source.actions.approve(ctx(clientBAdmin), r, 'staging', singleApproval('not mine')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutActionError);
    expect((err as RolloutActionError).status).toBe(403);
    expect((err as RolloutActionError).message).toMatch(/^Kubernetes refused approving wave staging: .*forbidden/);
    const after = await admin.expectOk<Approval>('GET', path);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  }, 90_000);

  it('a client-a Tenant Admin approves: Approved=True at the request generation, accepted, the run proceeds; again is a no-op', async () => {
    const r = await rolloutWhere(nsId('kfsrc-gate'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const result = await source.actions.approve(ctx(clientAAdmin), r, 'staging', singleApproval('staging is green'));
    expect(result).toMatchObject({ outcome: 'done', code: 'approved' });
    const path = `${P}/namespaces/${NS}/approvalrequests/kfsrc-gate-after-staging`;
    const onHub = await admin.expectOk<Approval>('GET', path);
    expect(onHub.status?.conditions?.find((c) => c.type === 'Approved')).toMatchObject({
      status: 'True',
      reason: 'ApprovedViaFleetdeck',
      message: 'Approved by client-a-admin@demo via Fleetdeck: staging is green',
      observedGeneration: onHub.metadata.generation,
    });
    const moved = await rolloutWhere(
      nsId('kfsrc-gate'),
      'accepted and past staging',
      (x) => x.waves[0]!.gates[0]!.accepted === true && x.waves[0]!.state === 'Succeeded',
      60_000,
    );
    expect(moved.waves[0]!.gates[0]).toMatchObject({ state: 'Approved', approvedBy: 'client-a-admin@demo', comment: 'staging is green' });
    expect(moved.history).toEqual([
      expect.objectContaining({ actor: 'client-a-admin@demo', action: 'approve', wave: 'staging', from: 'upstream' }),
    ]);
    expect(await source.actions.approve(ctx(clientAAdmin), moved, 'staging', singleApproval())).toMatchObject({
      outcome: 'no-op',
      code: 'alreadyApproved',
    });
    // The acceptance the controller wrote is still there after our write.
    const final = await admin.expectOk<Approval>('GET', path);
    expect(final.status?.conditions?.map((c) => c.type).sort()).toEqual(['ApprovalAccepted', 'Approved']);
  }, 90_000);

  it('two concurrent approvals both resolve, and a condition another writer set survives', async () => {
    // A cluster-scoped run of its own: the seeded ones belong to the testbed's own tests, which run later on the same hub.
    await clusterStrategy('kfsrc-race', [{ name: 'staging', labelSelector: staging, afterStageTasks: [{ type: 'Approval' }] }]);
    await clusterRun('kfsrc-race', 'kfsrc-race-app', '2', 'kfsrc-race');
    const id = 'kubefleet~~kfsrc-race';
    const r = await rolloutWhere(id, 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const wave = r.awaitingApproval!.wave;
    const gate = r.waves.find((w) => w.name === wave)!.gates.find((g) => g.state === 'Waiting')!;
    const path = `${P}/clusterapprovalrequests/${gate.approvalName}`;
    const current = await admin.expectOk<Approval>('GET', path);
    const probe = {
      type: 'FleetdeckProbe',
      status: 'True',
      reason: 'Probe',
      message: 'another writer',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    await admin.expectOk('PATCH', `${path}/status`, {
      body: { status: { conditions: [...(current.status?.conditions ?? []), probe] } },
      contentType: 'application/merge-patch+json',
    });
    // The testbed's CRDs declare conditions a list-map keyed by type (as KubeFleet's do): this goes by server-side apply.
    const version = r.object!.apiVersion.split('/')[1]!;
    expect(await listMapProbe(writer, () => version, createLogger('silent'))('ClusterApprovalRequest')).toBe(true);
    const results = await Promise.all([
      source.actions.approve(ctx(platformAdmin), r, wave, singleApproval('one')),
      source.actions.approve(ctx({ ...platformAdmin, user: 'other-admin@demo' }), r, wave, singleApproval('two')),
    ]);
    for (const res of results) expect(['done', 'no-op']).toContain(res.outcome);
    const onHub = await admin.expectOk<Approval>('GET', path);
    const types = onHub.status!.conditions!.map((c) => c.type);
    expect(types.filter((t) => t === 'Approved')).toHaveLength(1);
    expect(types).toContain('FleetdeckProbe');
    await rolloutWhere(
      id,
      'the gate accepted',
      (x) => x.waves.find((w) => w.name === wave)!.gates.some((g) => g.accepted === true),
      60_000,
    );
  });

  it('where server-side apply cannot merge conditions, read + update with resourceVersion: concurrent approvals both resolve, others stay', async () => {
    await strategy('kfsrc-put', [{ name: 'staging', labelSelector: staging, afterStageTasks: [{ type: 'Approval' }] }]);
    await run('kfsrc-put', 'kfsrc-put-app', '3', 'kfsrc-put');
    const r = await rolloutWhere(nsId('kfsrc-put'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const path = `${P}/namespaces/${NS}/approvalrequests/kfsrc-put-after-staging`;
    const current = await admin.expectOk<Approval>('GET', path);
    const probe = {
      type: 'FleetdeckProbe',
      status: 'True',
      reason: 'Probe',
      message: 'another writer',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    await admin.expectOk('PATCH', `${path}/status`, {
      body: { status: { conditions: [...(current.status?.conditions ?? []), probe] } },
      contentType: 'application/merge-patch+json',
    });
    const deps = {
      writer,
      apiVersion: () => r.object!.apiVersion.split('/')[1]!,
      now: () => new Date(),
      logger: createLogger('silent'),
      conditionsAreListMap: () => Promise.resolve(false),
    };
    const results = await Promise.all([
      approveWave(deps, ctx(clientAAdmin), r, 'staging', singleApproval('one')),
      approveWave(deps, ctx({ ...clientAAdmin, user: 'client-a-admin-2@demo' }), r, 'staging', singleApproval('two')),
    ]);
    expect(results.map((x) => x.outcome).sort()).toEqual(['done', 'no-op']);
    const onHub = await admin.expectOk<Approval>('GET', path);
    // The controller may already have added ApprovalAccepted; nothing else was lost or doubled.
    const types = onHub.status!.conditions!.map((c) => c.type);
    expect(types.filter((t) => t === 'Approved')).toHaveLength(1);
    expect(types).toContain('FleetdeckProbe');
    expect(onHub.status!.conditions!.find((c) => c.type === 'Approved')!.observedGeneration).toBe(onHub.metadata.generation);
    await rolloutWhere(nsId('kfsrc-put'), 'accepted', (x) => x.waves[0]!.gates[0]!.accepted === true, 60_000);
  });

  it('approves from the informer’s copy in one hub call; a copy gone stale (re-armed) falls back to read, then write, at the new generation', async () => {
    await strategy('kfsrc-fast', [{ name: 'staging', labelSelector: staging, afterStageTasks: [{ type: 'Approval' }] }]);
    await run('kfsrc-fast', 'kfsrc-fast-app', '4', 'kfsrc-fast');
    await run('kfsrc-stale', 'kfsrc-stale-app', '4', 'kfsrc-fast');
    const fast = await rolloutWhere(nsId('kfsrc-fast'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const stale = await rolloutWhere(nsId('kfsrc-stale'), 'awaiting approval', (x) => x.state === 'AwaitingApproval', 60_000);
    const kc = new KubeConfig();
    kc.loadFromFile(env.hub.bffKubeconfig);
    const calls: string[] = [];
    // What reaches the hub as the person: the number of round trips is the figure under test.
    const counting = new (class extends ImpersonatingClient {
      override request<T>(...args: Parameters<ImpersonatingClient['request']>) {
        const target = args[2].split('?')[0]!;
        calls.push(`${args[1]} ${target.endsWith('/status') ? 'status' : 'object'}`);
        return super.request<T>(...args);
      }
    })(kc);
    const path = (name: string) => `${P}/namespaces/${NS}/approvalrequests/${name}-after-staging`;
    const copy = async (name: string) => readApproval(await admin.expectOk('GET', path(name)), 'namespaced')!;
    const copies = new Map([
      ['kfsrc-fast-after-staging', await copy('kfsrc-fast')],
      ['kfsrc-stale-after-staging', await copy('kfsrc-stale')],
    ]);
    const deps = {
      writer: counting,
      apiVersion: () => fast.object!.apiVersion.split('/')[1]!,
      now: () => new Date(),
      logger: createLogger('silent'),
      conditionsAreListMap: () => Promise.resolve(true),
      cached: (scope: string, namespace: string | undefined, name: string) =>
        scope === 'namespaced' && namespace === NS ? copies.get(name) : undefined,
    };

    expect(await approveWave(deps, ctx(clientAAdmin), fast, 'staging', singleApproval('fast'))).toMatchObject({
      outcome: 'done',
      code: 'approved',
    });
    expect(calls).toEqual(['PATCH status']);
    const fastOnHub = await admin.expectOk<Approval>('GET', path('kfsrc-fast'));
    expect(fastOnHub.status?.conditions?.find((c) => c.type === 'Approved')).toMatchObject({
      status: 'True',
      message: 'Approved by client-a-admin@demo via Fleetdeck: fast',
      observedGeneration: fastOnHub.metadata.generation,
    });

    // Re-armed behind the copy's back (a new generation): the copy's resourceVersion no longer holds.
    await admin.expectOk('PATCH', path('kfsrc-stale'), {
      body: { spec: { rearmedByTest: '1' } },
      contentType: 'application/merge-patch+json',
    });
    calls.length = 0;
    expect(await approveWave(deps, ctx(clientAAdmin), stale, 'staging', singleApproval('stale'))).toMatchObject({
      outcome: 'done',
      code: 'approved',
    });
    expect(calls).toEqual(['PATCH status', 'GET status', 'PATCH status']);
    const staleOnHub = await admin.expectOk<Approval>('GET', path('kfsrc-stale'));
    expect(staleOnHub.metadata.generation).toBeGreaterThan(copies.get('kfsrc-stale-after-staging')!.generation!);
    expect(staleOnHub.status?.conditions?.find((c) => c.type === 'Approved')).toMatchObject({
      status: 'True',
      observedGeneration: staleOnHub.metadata.generation,
    });
    await rolloutWhere(nsId('kfsrc-fast'), 'accepted', (x) => x.waves[0]!.gates[0]!.accepted === true, 60_000);
  }, 120_000);

  it('pause and resume a run, each idempotent; a run not started cannot be stopped; abort deletes, then is a no-op', async () => {
    await strategy('kfsrc-gated', [{ name: 'staging', labelSelector: staging, afterStageTasks: [{ type: 'Approval' }] }]);
    await run('kfsrc-pause', 'kfsrc-app', '2', 'kfsrc-gated');
    const r = await rolloutWhere(nsId('kfsrc-pause'), 'initialized', (x) => x.waves.length > 0);
    const a = ctx(clientAAdmin);
    expect(await source.actions.pause(a, r, 'hold on')).toMatchObject({ outcome: 'done', code: 'paused' });
    const spec = await admin.expectOk<{ spec: { state: string } }>('GET', `${P}/namespaces/${NS}/stagedupdateruns/kfsrc-pause`);
    expect(spec.spec.state).toBe('Stop');
    await rolloutWhere(nsId('kfsrc-pause'), 'stopped', (x) => x.state === 'Stopped');
    expect(await source.actions.pause(a, r, undefined)).toMatchObject({ outcome: 'no-op', code: 'alreadyPaused' });
    expect(await source.actions.resume(a, r)).toMatchObject({ outcome: 'done', code: 'resumed' });
    await rolloutWhere(nsId('kfsrc-pause'), 'running again', (x) => x.state !== 'Stopped');
    expect(await source.actions.resume(a, r)).toMatchObject({ outcome: 'no-op', code: 'alreadyRunning' });
    await expect(source.actions.pause(ctx(clientBAdmin), r, undefined)).rejects.toMatchObject({ status: 403 });

    await run('kfsrc-init', 'kfsrc-app', '2', 'kfsrc-gated', 'Initialize');
    const init = await rollout(nsId('kfsrc-init'));
    await expect(source.actions.pause(a, init, undefined)).rejects.toMatchObject({
      status: 409,
      message: 'a run that has not started cannot be stopped; delete it instead',
    });

    expect(await source.actions.abort(a, r)).toMatchObject({ outcome: 'done', code: 'aborted' });
    await eventually('the run gone', () => source.get(nsId('kfsrc-pause')) === undefined, 30_000);
    expect((await admin.request('GET', `${P}/namespaces/${NS}/stagedupdateruns/kfsrc-pause`)).status).toBe(404);
    expect(await source.actions.abort(a, r)).toMatchObject({ outcome: 'no-op', code: 'alreadyGone' });
    expect(await source.actions.abort(a, init)).toMatchObject({ outcome: 'done' });
    await expect(source.actions.unpin(a, init)).rejects.toMatchObject({ status: 409 });
  });

  it('roll back creates a new run with the snapshot the last succeeded run delivered; without one it is refused', async () => {
    await strategy('kfsrc-quick', [{ name: 'staging', labelSelector: staging }]);
    await run('kfsrc-rb-0', 'kfsrc-rb', '1', 'kfsrc-quick');
    const first = await rolloutWhere(nsId('kfsrc-rb-0'), 'succeeded', (x) => x.state === 'Succeeded', 60_000);
    await expect(source.actions.rollback(ctx(clientAAdmin), first)).rejects.toMatchObject({ status: 409 });
    // Creation times have second resolution: the next run must be visibly later.
    await new Promise((r) => setTimeout(r, 1100));
    await run('kfsrc-rb-2', 'kfsrc-rb', '2', 'kfsrc-quick');
    const second = await rolloutWhere(nsId('kfsrc-rb-2'), 'a roll back plan', (x) => x.rollback !== undefined);
    expect(second.rollback).toMatchObject({ toRevision: '1', fromRevision: '2' });
    const result = await source.actions.rollback(ctx(clientAAdmin), second);
    expect(result).toMatchObject({ outcome: 'done', code: 'rolledBack' });
    created.push(`${P}/namespaces/${NS}/stagedupdateruns/kfsrc-rb-2-rollback-1`);
    const back = await admin.expectOk<{ spec: Record<string, string> }>(
      'GET',
      `${P}/namespaces/${NS}/stagedupdateruns/kfsrc-rb-2-rollback-1`,
    );
    expect(back.spec).toMatchObject({
      placementName: 'kfsrc-rb',
      resourceSnapshotIndex: '1',
      stagedRolloutStrategyName: 'kfsrc-quick',
      state: 'Run',
    });
    await rollout(nsId('kfsrc-rb-2-rollback-1'));
  });
});
