import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { KubeClient, type KubeTarget } from '../kube/client.ts';
import { advance, type ApprovalObject, type RunObject, type Stage } from './advance.ts';

/**
 * The loop of the testbed's fleet controller stand-in (simulates KubeFleet's hub
 * controller for tests; not part of Fleetdeck): every tick it reads staged update runs
 * (cluster-scoped and namespaced), their strategies, the MemberClusters and approval
 * requests from the real hub API server, and writes what `advance` decides.
 */
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';

interface List<T> {
  items: T[];
}
interface Named {
  metadata: { name: string; namespace?: string; generation?: number; labels?: Record<string, string> };
}

export function targetFromKubeconfig(path: string): KubeTarget {
  interface Kubeconfig {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  }
  const kc = parse(readFileSync(path, 'utf8')) as Kubeconfig;
  const b64 = (s: string) => Buffer.from(s, 'base64').toString();
  return {
    url: kc.clusters[0]!.cluster.server,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  };
}

export interface ControllerOptions {
  target: KubeTarget;
  secondsPerCluster: number;
  intervalMs?: number;
  failClusters?: ReadonlySet<string>;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export async function reconcileOnce(client: KubeClient, opts: ControllerOptions): Promise<number> {
  const clusters = (await client.expectOk<List<Named>>('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters')).items.map(
    (m) => ({
      name: m.metadata.name,
      labels: m.metadata.labels ?? {},
    }),
  );
  let writes = 0;
  for (const scope of ['cluster', 'namespaced'] as const) {
    const prefix = scope === 'cluster' ? 'cluster' : '';
    const runs = (await client.expectOk<List<RunObject>>('GET', `${P}/${prefix}stagedupdateruns`)).items;
    if (runs.length === 0) continue;
    const strategies = (await client.expectOk<List<Named & { spec: { stages: Stage[] } }>>('GET', `${P}/${prefix}stagedupdatestrategies`))
      .items;
    const approvals = new Map(
      (await client.expectOk<List<ApprovalObject & Named>>('GET', `${P}/${prefix}approvalrequests`)).items.map((a) => [
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`,
        a,
      ]),
    );
    for (const run of runs) {
      const ns = run.metadata.namespace;
      const base = ns ? `${P}/namespaces/${ns}` : P;
      const strategy = strategies.find((s) => s.metadata.name === run.spec.stagedRolloutStrategyName && s.metadata.namespace === ns)?.spec;
      const runApprovals = new Map(
        [...approvals.entries()].filter(([k]) => k.startsWith(`${ns ?? ''}/`)).map(([k, v]) => [k.slice(k.indexOf('/') + 1), v]),
      );
      const next = advance({
        run,
        strategy,
        clusters,
        approvals: runApprovals,
        now: new Date(),
        secondsPerCluster: opts.secondsPerCluster,
        ...(opts.failClusters && { failClusters: opts.failClusters }),
      });
      for (const a of next.approvalsToCreate) {
        const res = await client.request('POST', `${base}/${prefix}approvalrequests`, {
          body: {
            apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
            kind: `${scope === 'cluster' ? 'Cluster' : ''}ApprovalRequest`,
            metadata: {
              name: a.name,
              ...(ns && { namespace: ns }),
              labels: {
                'kubernetes-fleet.io/targetupdaterun': run.metadata.name,
                'kubernetes-fleet.io/targetUpdatingStage': a.stage,
                'kubernetes-fleet.io/isLatestUpdateRunApproval': 'true',
              },
            },
            spec: { parentStageRollout: run.metadata.name, targetStage: a.stage },
          },
        });
        if (res.status !== 201 && res.status !== 409) throw new Error(`creating approval ${a.name}: ${res.status} ${res.text}`);
        opts.log?.('approval requested', { run: run.metadata.name, approval: a.name });
        writes++;
      }
      for (const name of next.approvalsToAccept) {
        const approval = runApprovals.get(name)!;
        const conditions = [
          ...(approval.status?.conditions ?? []).filter((c) => c.type !== 'ApprovalAccepted'),
          {
            type: 'ApprovalAccepted',
            status: 'True',
            reason: 'ApprovalAccepted',
            message: 'accepted by the fleet controller stand-in',
            lastTransitionTime: new Date().toISOString(),
            observedGeneration: approval.metadata.generation,
          },
        ];
        await client.expectOk('PATCH', `${base}/${prefix}approvalrequests/${name}/status`, {
          body: { status: { conditions } },
          contentType: 'application/merge-patch+json',
        });
        opts.log?.('approval accepted', { run: run.metadata.name, approval: name });
        writes++;
      }
      if (JSON.stringify(next.status) !== JSON.stringify(run.status ?? {})) {
        await client.expectOk('PATCH', `${base}/${prefix}stagedupdateruns/${run.metadata.name}/status`, {
          body: { status: next.status },
          contentType: 'application/merge-patch+json',
        });
        writes++;
      }
    }
  }
  return writes;
}

export function startFleetController(opts: ControllerOptions): { stop(): Promise<void> } {
  const client = new KubeClient(opts.target);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = reconcileOnce(client, opts)
      .then(() => undefined)
      .catch((err: unknown) => opts.log?.('reconcile failed', { error: (err as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 250);
      });
  };
  let timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
