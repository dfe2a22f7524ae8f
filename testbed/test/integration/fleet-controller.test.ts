import { describe, expect, inject, it } from 'vitest';

import { kubeClient } from '../../src/kube/from-env.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');
const PLACEMENT = '/apis/placement.kubernetes-fleet.io/v1beta1';
const RUN = 'client-a-patch-2026-11';
const FINALIZER = 'kubernetes-fleet.io/stagedupdaterun-finalizer';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}
interface Approval {
  metadata: { name: string; generation: number; labels?: Record<string, string> };
  spec: { parentStageRollout: string; targetStage: string };
  status?: { conditions?: Condition[] };
}
interface StageStatus {
  stageName: string;
  conditions?: Condition[];
  clusters?: { clusterName: string; conditions?: Condition[] }[];
  afterStageTaskStatus?: { type: string; approvalRequestName?: string; conditions?: Condition[] }[];
  beforeStageTaskStatus?: { type: string; approvalRequestName?: string; conditions?: Condition[] }[];
}
interface Run {
  metadata: { name: string; finalizers?: string[]; generation: number };
  status?: {
    conditions?: Condition[];
    stagesStatus?: StageStatus[];
    policyObservedClusterCount?: number;
    stagedUpdateStrategySnapshot?: unknown;
  };
}

const hub = () => kubeClient(env, env.hub, 'bff');
const admin = () => kubeClient(env, env.hub, 'admin');
const as = (user: string, group: string) => ({ 'Impersonate-User': user, 'Impersonate-Group': [group] });
const PLATFORM = as('platform-admin@demo', 'fleet-platform-admins');

async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cond = (list: Condition[] | undefined, type: string) => list?.find((c) => c.type === type);
const succeeded = (s: StageStatus | undefined) =>
  (s?.clusters ?? []).filter((c) => cond(c.conditions, 'Succeeded')?.status === 'True').map((c) => c.clusterName);
const started = (s: StageStatus | undefined) => (s?.clusters ?? []).filter((c) => cond(c.conditions, 'Started')).map((c) => c.clusterName);

/** Approve as a person: server-side apply on /status, which merges conditions by type (what the BFF does). */
function approve(path: string, approval: Approval, generation: number, headers: Record<string, string | string[]>) {
  const kind = path.includes('/clusterapprovalrequests/') ? 'ClusterApprovalRequest' : 'ApprovalRequest';
  return hub().request('PATCH', `${path}/status?fieldManager=fleetdeck&force=true`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind,
      metadata: { name: approval.metadata.name },
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'ApprovedByFleetdeck',
            message: `approved by ${headers['Impersonate-User'] as string}`,
            observedGeneration: generation,
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      },
    },
    contentType: 'application/apply-patch+yaml',
    headers,
  });
}
const getRun = (path: string) => admin().expectOk<Run>('GET', path);
const stage = (run: Run, name: string) => run.status?.stagesStatus?.find((s) => s.stageName === name);

function createRun(name: string, strategy: string, state = 'Run') {
  return admin().request('POST', `${PLACEMENT}/clusterstagedupdateruns`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'ClusterStagedUpdateRun',
      metadata: { name },
      spec: { placementName: 'tb-placement', resourceSnapshotIndex: '1', stagedRolloutStrategyName: strategy, state },
    },
  });
}
async function createStrategy(name: string, stages: unknown[]) {
  const res = await admin().request('POST', `${PLACEMENT}/clusterstagedupdatestrategies`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'ClusterStagedUpdateStrategy',
      metadata: { name },
      spec: { stages },
    },
  });
  return res;
}
const setState = (name: string, state: string, headers: Record<string, string | string[]> = PLATFORM) =>
  hub().request('PATCH', `${PLACEMENT}/clusterstagedupdateruns/${name}`, {
    body: { spec: { state } },
    contentType: 'application/merge-patch+json',
    headers,
  });

describe('KubeFleet stand-in against the real hub', () => {
  const runPath = `${PLACEMENT}/clusterstagedupdateruns/${RUN}`;
  const gatePath = `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary`;

  it('initializes the whole status, runs the canary wave and halts at its approval request', async () => {
    const approval = await eventually('the after-canary approval request', async () => {
      const res = await hub().request<Approval>('GET', gatePath);
      return res.status === 200 ? res.body : undefined;
    });
    expect(approval.spec).toEqual({ parentStageRollout: RUN, targetStage: 'canary' });
    expect(approval.metadata.labels).toEqual({
      'kubernetes-fleet.io/targetupdaterun': RUN,
      'kubernetes-fleet.io/targetUpdatingStage': 'canary',
      'kubernetes-fleet.io/taskType': 'afterStage',
      'kubernetes-fleet.io/isLatestUpdateRunApproval': 'true',
    });
    const run = await getRun(runPath);
    expect(run.metadata.finalizers).toContain(FINALIZER);
    expect(run.status?.stagesStatus?.map((s) => s.stageName)).toEqual(['canary', 'staging', 'produseast', 'prodrest']);
    expect(stage(run, 'canary')?.clusters?.map((c) => c.clusterName)).toEqual(['edge-retail-001']);
    expect(stage(run, 'produseast')?.beforeStageTaskStatus?.[0]?.approvalRequestName).toBe(`${RUN}-before-produseast`);
    expect(run.status?.policyObservedClusterCount).toBe(15);
    expect(started(stage(run, 'staging'))).toEqual([]);
    expect(cond(run.status?.conditions, 'Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunWaiting' });
    // Created only when the run reaches the gate.
    expect((await hub().request('GET', `${PLACEMENT}/clusterapprovalrequests/${RUN}-before-produseast`)).status).toBe(404);
    // v1 is served with the same objects.
    const v1 = await admin().expectOk<Run>('GET', `/apis/placement.kubernetes-fleet.io/v1/clusterstagedupdateruns/${RUN}`);
    expect(v1.status?.stagesStatus?.length).toBe(4);
  });

  it('lets kube-apiserver refuse approvals from a Viewer and from a Tenant Admin on a cluster-scoped run', async () => {
    const approval = await hub().expectOk<Approval>('GET', gatePath);
    for (const [user, group] of [
      ['client-b-viewer@demo', 'tenant-client-b-viewers'],
      ['client-a-admin@demo', 'tenant-client-a-admins'],
      ['client-a-dev@demo', 'tenant-client-a-developers'],
    ] as const) {
      const res = await approve(gatePath, approval, approval.metadata.generation, as(user, group));
      expect(res.status, user).toBe(403);
    }
  });

  it('does not accept an approval of a stale generation; accepts the current one, answers ApprovalAccepted and moves on', async () => {
    const approval = await hub().expectOk<Approval>('GET', gatePath);
    expect((await approve(gatePath, approval, approval.metadata.generation - 1, PLATFORM)).status).toBe(200);
    await sleep(2000);
    const stale = await hub().expectOk<Approval>('GET', gatePath);
    expect(cond(stale.status?.conditions, 'ApprovalAccepted')).toBeUndefined();
    expect(started(stage(await getRun(runPath), 'staging'))).toEqual([]);

    expect((await approve(gatePath, approval, approval.metadata.generation, PLATFORM)).status).toBe(200);
    const accepted = await eventually('ApprovalAccepted', async () => {
      const a = await hub().expectOk<Approval>('GET', gatePath);
      return cond(a.status?.conditions, 'ApprovalAccepted')?.status === 'True' ? a : undefined;
    });
    expect(cond(accepted.status?.conditions, 'ApprovalAccepted')).toMatchObject({
      reason: 'ApprovalRequestApprovalAccepted',
      observedGeneration: approval.metadata.generation,
    });
    expect(cond(accepted.status?.conditions, 'Approved')?.status).toBe('True');
    const run = await eventually('the staging wave to finish', async () => {
      const r = await getRun(runPath);
      return succeeded(stage(r, 'staging')).length === 1 ? r : undefined;
    });
    expect(succeeded(stage(run, 'staging'))).toEqual(['client-a-staging']);
  });

  it('waits at a TimedWait without writing WaitTimeElapsed (client-c-soak-v3, 1h)', async () => {
    const path = `${PLACEMENT}/clusterstagedupdateruns/client-c-soak-v3`;
    const run = await eventually('the soak to begin', async () => {
      const r = await getRun(path);
      return cond(stage(r, 'staging')?.conditions, 'Progressing')?.reason === 'StageUpdatingWaiting' ? r : undefined;
    });
    expect(stage(run, 'staging')?.afterStageTaskStatus?.[0]).toEqual({ type: 'TimedWait', conditions: [] });
    expect(run.status?.stagedUpdateStrategySnapshot).toMatchObject({
      stages: [{ afterStageTasks: [{ type: 'TimedWait', waitTime: '1h' }] }, {}],
    });
    expect(started(stage(run, 'production'))).toEqual([]);
  });

  it('lets a client-a Tenant Admin approve the namespaced run in fleet-client-a, and refuses a client-b one', async () => {
    const base = `${PLACEMENT}/namespaces/fleet-client-a`;
    const gate = `${base}/approvalrequests/client-a-apps-v7-after-staging`;
    const approval = await eventually('the namespaced approval request', async () => {
      const res = await admin().request<Approval>('GET', gate);
      return res.status === 200 ? res.body : undefined;
    });
    expect(approval.metadata.labels?.['kubernetes-fleet.io/taskType']).toBe('afterStage');
    expect((await approve(gate, approval, approval.metadata.generation, as('client-b-admin@demo', 'tenant-client-b-admins'))).status).toBe(
      403,
    );
    expect((await approve(gate, approval, approval.metadata.generation, as('client-a-admin@demo', 'tenant-client-a-admins'))).status).toBe(
      200,
    );
    const run = await eventually('production to start', async () => {
      const r = await getRun(`${base}/stagedupdateruns/client-a-apps-v7`);
      return started(stage(r, 'production')).length > 0 ? r : undefined;
    });
    expect(succeeded(stage(run, 'staging'))).toEqual(['client-a-staging']);
  });

  it('refuses Initialize→Stop, Run→Initialize and Stop→Initialize in the API server (CEL transition rules)', async () => {
    expect(
      (await createStrategy('tb-slow', [{ name: 'edge', labelSelector: { matchLabels: { client: 'client-a', tier: 'edge' } } }])).status,
    ).toBe(201);
    expect((await createRun('tb-init-run', 'tb-slow', 'Initialize')).status).toBe(201);
    const refused = await setState('tb-init-run', 'Stop');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('cannot transition from Initialize to Stop');
    expect((await setState('tb-init-run', 'Run')).status).toBe(200);
    expect((await setState('tb-init-run', 'Initialize')).status).toBe(422);
    expect((await setState('tb-init-run', 'Stop')).status).toBe(200);
    expect((await setState('tb-init-run', 'Initialize')).status).toBe(422);
    expect((await hub().request('DELETE', `${PLACEMENT}/clusterstagedupdateruns/tb-init-run`, { headers: PLATFORM })).status).toBe(200);
    // And a stage name with a hyphen is not a valid stage name.
    expect((await createStrategy('tb-bad', [{ name: 'us-east' }])).status).toBe(422);
  });

  it('on Stop lets in-flight clusters finish and starts no new ones (UpdateRunStopped); Run resumes', async () => {
    expect((await createRun('tb-stop-run', 'tb-slow')).status).toBe(201);
    const path = `${PLACEMENT}/clusterstagedupdateruns/tb-stop-run`;
    await eventually('a first cluster done', async () =>
      ((s) => (s.length > 0 ? s : undefined))(succeeded(stage(await getRun(path), 'edge'))),
    );
    expect((await setState('tb-stop-run', 'Stop')).status).toBe(200);
    const stopped = await eventually('UpdateRunStopped', async () => {
      const r = await getRun(path);
      return cond(r.status?.conditions, 'Progressing')?.reason === 'UpdateRunStopped' ? r : undefined;
    });
    const edge = stage(stopped, 'edge');
    expect(started(edge)).toEqual(succeeded(edge));
    expect(started(edge).length).toBeLessThan(11);
    await sleep(1500);
    expect(started(stage(await getRun(path), 'edge'))).toEqual(started(edge));
    expect((await setState('tb-stop-run', 'Run')).status).toBe(200);
    await eventually('more clusters to start', async () =>
      started(stage(await getRun(path), 'edge')).length > started(edge).length ? true : undefined,
    );
  });

  it('deleting a run deletes its approval requests (finalizer), then the run is gone', async () => {
    expect(
      (
        await createStrategy('tb-gate', [
          { name: 'canary', labelSelector: { matchLabels: { tier: 'canary' } }, afterStageTasks: [{ type: 'Approval' }] },
        ])
      ).status,
    ).toBe(201);
    expect((await createRun('tb-delete-run', 'tb-gate')).status).toBe(201);
    const gate = `${PLACEMENT}/clusterapprovalrequests/tb-delete-run-after-canary`;
    await eventually('its approval request', async () => ((await admin().request('GET', gate)).status === 200 ? true : undefined));
    const run = await getRun(`${PLACEMENT}/clusterstagedupdateruns/tb-delete-run`);
    expect(run.metadata.finalizers).toContain(FINALIZER);
    expect((await hub().request('DELETE', `${PLACEMENT}/clusterstagedupdateruns/tb-delete-run`, { headers: PLATFORM })).status).toBe(200);
    await eventually('the approval request to be deleted', async () =>
      (await admin().request('GET', gate)).status === 404 ? true : undefined,
    );
    await eventually('the run to be gone', async () =>
      (await admin().request('GET', `${PLACEMENT}/clusterstagedupdateruns/tb-delete-run`)).status === 404 ? true : undefined,
    );
    // The other runs' requests are untouched.
    expect((await admin().request('GET', gatePath)).status).toBe(200);
  });
});
