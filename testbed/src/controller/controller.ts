import { KubeClient, type KubeTarget } from '../kube/client.ts';
import { advance, type ApprovalObject, type RunObject, type Stage } from './advance.ts';
import { setCondition, type Condition } from './conditions.ts';
import { putIfUnchanged, startLoop, updateWithRetry, type List, type Log, type ObjectMeta } from './kube-io.ts';
import { approvalLabels, lifecycleStep, RUN_FINALIZER } from './run-lifecycle.ts';

export { targetFromKubeconfig } from './kube-io.ts';

/**
 * The loop of the testbed's KubeFleet stand-in (simulates KubeFleet's hub controller for
 * tests; not part of Fleetdeck): every tick it reads staged update runs (cluster-scoped
 * and namespaced), their strategies, the MemberClusters and approval requests from the
 * real hub API server, and writes what `advance` and `lifecycleStep` decide.
 */
const GROUP = 'placement.kubernetes-fleet.io';
const P = `/apis/${GROUP}/v1beta1`;

type Run = RunObject & { metadata: ObjectMeta };
type Approval = ApprovalObject & { metadata: ObjectMeta };

export interface ControllerOptions {
  target: KubeTarget;
  secondsPerCluster: number;
  intervalMs?: number;
  failClusters?: ReadonlySet<string>;
  log?: Log;
}

async function acceptApproval(client: KubeClient, path: string): Promise<void> {
  await updateWithRetry<Approval>(
    client,
    path,
    (a) => {
      const list = (a.status?.conditions ?? []) as Condition[];
      if (list.some((c) => c.type === 'ApprovalAccepted' && c.status === 'True')) return undefined;
      const now = new Date().toISOString();
      setCondition(
        list,
        'ApprovalAccepted',
        'True',
        'ApprovalRequestApprovalAccepted',
        now,
        a.metadata.generation,
        'the approval was accepted',
      );
      return { ...a, status: { ...a.status, conditions: list } };
    },
    '/status',
  );
}

async function reconcileRun(
  client: KubeClient,
  opts: ControllerOptions,
  scope: 'cluster' | 'namespaced',
  run: Run,
  strategies: ReadonlyMap<string, Stage[]>,
  clusters: { name: string; labels: Record<string, string> }[],
  approvals: Approval[],
): Promise<number> {
  const prefix = scope === 'cluster' ? 'cluster' : '';
  const ns = run.metadata.namespace;
  const base = ns ? `${P}/namespaces/${ns}` : P;
  const runPath = `${base}/${prefix}stagedupdateruns/${run.metadata.name}`;
  const step = lifecycleStep(run, approvals);
  if (step.kind === 'gone') return 0;
  if (step.kind === 'addFinalizer') {
    const ok = await putIfUnchanged(client, runPath, {
      ...run,
      metadata: { ...run.metadata, finalizers: [...(run.metadata.finalizers ?? []), RUN_FINALIZER] },
    });
    return ok === 'ok' ? 1 : 0;
  }
  if (step.kind === 'cleanUp') {
    for (const name of step.deleteApprovals) {
      const res = await client.request('DELETE', `${base}/${prefix}approvalrequests/${name}`);
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`deleting approval ${name}: ${res.status}`);
    }
    await updateWithRetry<Run>(client, runPath, (r) => {
      if (!r.metadata.finalizers?.includes(RUN_FINALIZER)) return undefined;
      return { ...r, metadata: { ...r.metadata, finalizers: r.metadata.finalizers.filter((f) => f !== RUN_FINALIZER) } };
    });
    opts.log?.('run deleted: approval requests removed', { run: run.metadata.name, approvals: step.deleteApprovals });
    return 1 + step.deleteApprovals.length;
  }

  const stages = strategies.get(run.spec.stagedRolloutStrategyName ?? '');
  const next = advance({
    run,
    strategy: stages && { stages },
    clusters,
    approvals: new Map(approvals.map((a) => [a.metadata.name, a])),
    now: new Date(),
    secondsPerCluster: opts.secondsPerCluster,
    ...(opts.failClusters && { failClusters: opts.failClusters }),
  });
  let writes = 0;
  for (const a of next.approvalsToCreate) {
    const kind = `${scope === 'cluster' ? 'Cluster' : ''}ApprovalRequest`;
    const res = await client.request('POST', `${base}/${prefix}approvalrequests`, {
      body: {
        apiVersion: `${GROUP}/v1beta1`,
        kind,
        metadata: { name: a.name, ...(ns && { namespace: ns }), labels: approvalLabels(run.metadata.name, a.stage, a.taskType) },
        spec: { parentStageRollout: run.metadata.name, targetStage: a.stage },
      },
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating approval ${a.name}: ${res.status} ${res.text}`);
    opts.log?.('approval requested', { run: run.metadata.name, approval: a.name });
    writes++;
  }
  for (const name of next.approvalsToAccept) {
    await acceptApproval(client, `${base}/${prefix}approvalrequests/${name}`);
    opts.log?.('approval accepted', { run: run.metadata.name, approval: name });
    writes++;
  }
  if (JSON.stringify(next.status) !== JSON.stringify(run.status ?? {})) {
    // Written with the resourceVersion it was computed from; a conflict is recomputed next tick.
    if ((await putIfUnchanged(client, `${runPath}/status`, { ...run, status: next.status })) === 'ok') writes++;
  }
  return writes;
}

export async function reconcileOnce(client: KubeClient, opts: ControllerOptions): Promise<number> {
  const members = await client.expectOk<List<{ metadata: ObjectMeta }>>('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters');
  const clusters = members.items.map((m) => ({ name: m.metadata.name, labels: m.metadata.labels ?? {} }));
  let writes = 0;
  for (const scope of ['cluster', 'namespaced'] as const) {
    const prefix = scope === 'cluster' ? 'cluster' : '';
    const runs = (await client.expectOk<List<Run>>('GET', `${P}/${prefix}stagedupdateruns`)).items;
    if (runs.length === 0) continue;
    const strategies = (
      await client.expectOk<List<{ metadata: ObjectMeta; spec: { stages: Stage[] } }>>('GET', `${P}/${prefix}stagedupdatestrategies`)
    ).items;
    const approvals = (await client.expectOk<List<Approval>>('GET', `${P}/${prefix}approvalrequests`)).items;
    for (const run of runs) {
      const ns = run.metadata.namespace;
      const inScope = (m: { metadata: ObjectMeta }) => m.metadata.namespace === ns;
      const byName = new Map(strategies.filter(inScope).map((s) => [s.metadata.name, s.spec.stages]));
      try {
        writes += await reconcileRun(client, opts, scope, run, byName, clusters, approvals.filter(inScope));
      } catch (err) {
        opts.log?.('reconcile run failed', { run: run.metadata.name, namespace: ns, error: (err as Error).message });
      }
    }
  }
  return writes;
}

export function startFleetController(opts: ControllerOptions): { stop(): Promise<void> } {
  const client = new KubeClient(opts.target);
  return startLoop('kubefleet', () => reconcileOnce(client, opts), opts.intervalMs ?? 250, opts.log);
}
