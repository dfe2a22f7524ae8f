import type { Principal, Rollout, RolloutActionResult } from '@fleetdeck/shared';

import type { RolloutAccessContext } from '../../bff/src/access/rollout-access.ts';
import type { ImpersonatingClient } from '../../bff/src/sources/kube/impersonating-client.ts';
import type { KubeClient } from '../../testbed/src/kube/client.ts';
import type { HubWatch } from './rollouts-hub-watch.ts';
import type { RolloutStream } from './rollouts-live.ts';
import { naiveApprove } from './rollouts-naive.ts';
import { approvalName, approvalPath, clusterConditions, runPath, type BenchRun } from './rollouts-seed.ts';
import type { Person } from './rollouts-setup.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One cluster of a run whose state the bench flips on the hub between Updating and
 * Succeeded, the way KubeFleet's controller writes it: one cluster's conditions in
 * `status.stagesStatus`, through the status subresource.
 */
export class HubTarget {
  readonly run: BenchRun;
  readonly cluster: string;
  state: 'Updating' | 'Succeeded' = 'Updating';
  readonly #admin: KubeClient;
  readonly #path: string;

  constructor(admin: KubeClient, run: BenchRun, cluster: string) {
    const j = run.stages[run.current]!.clusters.indexOf(cluster);
    if (j < 0 || !run.updating.includes(cluster)) throw new Error(`${cluster} is not updating in ${run.name}`);
    this.#admin = admin;
    this.run = run;
    this.cluster = cluster;
    this.#path = `/status/stagesStatus/${run.current}/clusters/${j}/conditions`;
  }

  get id(): string {
    return this.run.id;
  }

  async flip(to: 'Updating' | 'Succeeded' = this.state === 'Updating' ? 'Succeeded' : 'Updating'): Promise<void> {
    await this.#admin.expectOk('PATCH', `${runPath(this.run)}/status`, {
      body: [{ op: 'replace', path: this.#path, value: clusterConditions(to === 'Succeeded' ? 'succeeded' : 'updating', new Date()) }],
      contentType: 'application/json-patch+json',
    });
    this.state = to;
  }
}

/**
 * Flip → the SSE client has the rollout's upsert with the new succeeded count, rotating
 * over the targets; beside it, when a bare watch on the hub saw the same change (`hub`),
 * and the PATCH's own round trip (`patch`), to tell the API server's share from the BFF's.
 */
export async function eventLatencies(
  stream: RolloutStream,
  watch: HubWatch,
  targets: readonly HubTarget[],
  n: number,
): Promise<{ sse: number[]; hub: number[]; bff: number[]; patch: number[]; byRun: Map<string, number[]> }> {
  const succeededAt = new Map<HubTarget, number>();
  // Each run's succeeded count as seeded: half its current wave plus every wave before it.
  for (const t of targets) {
    const before = t.run.stages.slice(0, t.run.current).reduce((s, x) => s + x.clusters.length, 0);
    succeededAt.set(t, before + Math.floor(t.run.stages[t.run.current]!.clusters.length / 2));
  }
  const out = { sse: [] as number[], hub: [] as number[], bff: [] as number[], patch: [] as number[], byRun: new Map<string, number[]>() };
  for (let i = 0; i < n + 3; i++) {
    const t = targets[i % targets.length]!;
    const to = t.state === 'Updating' ? 'Succeeded' : 'Updating';
    const want = succeededAt.get(t)! + (to === 'Succeeded' ? 1 : 0);
    const got = stream.waitFor(t.id, (r) => r.progress.succeeded === want);
    const seen = watch.next(t.run.name);
    const start = performance.now();
    await t.flip(to);
    const patched = performance.now();
    const [at, hubAt] = await Promise.all([got, seen]);
    if (i < 3) continue;
    out.sse.push(at - start);
    out.hub.push(hubAt - start);
    // The BFF's share: from when a bare watch had the change to when the SSE client had it.
    out.bff.push(at - hubAt);
    out.patch.push(patched - start);
    const mine = out.byRun.get(t.run.name) ?? [];
    mine.push(at - start);
    out.byRun.set(t.run.name, mine);
  }
  return out;
}

/**
 * The naive client: no live stream, it re-reads the rollout every `periodMs`. Each change
 * lands at a random moment of its polling cycle; the figure is when the poller saw it.
 */
export async function pollingLatencies(p: Person, target: HubTarget, n: number, periodMs: number): Promise<number[]> {
  let want: { state: string; resolve: (at: number) => void } | undefined;
  let stop = false;
  const poller = (async () => {
    while (!stop) {
      const t0 = performance.now();
      const res = await p.get(`/api/rollouts/${target.id}`);
      const r = (await res.json()) as Rollout;
      const seen = r.waves.flatMap((w) => w.clusters).find((c) => c.cluster === target.cluster)?.state;
      if (want && seen === want.state) {
        want.resolve(performance.now());
        want = undefined;
      }
      await sleep(Math.max(0, periodMs - (performance.now() - t0)));
    }
  })();
  const samples: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      await sleep(Math.random() * periodMs);
      const to = target.state === 'Updating' ? 'Succeeded' : 'Updating';
      const seen = new Promise<number>((resolve) => (want = { state: to, resolve }));
      const start = performance.now();
      await target.flip(to);
      samples.push((await seen) - start);
    }
  } finally {
    stop = true;
    await poller;
  }
  return samples;
}

export interface ApprovalBench {
  admin: KubeClient;
  hub: ImpersonatingClient;
  ctx: RolloutAccessContext;
  stream: RolloutStream;
  person: Person;
  principal: Pick<Principal, 'user' | 'groups'>;
  runs: readonly BenchRun[];
  n: number;
  naiveN: number;
}

/**
 * The approval round trip through the BFF (POST with CSRF → 200), beside the naive write
 * (read the run and its requests from the hub to find the gate, then GET + PUT the
 * request's /status, as the person). Gates rotate over two cluster-scoped and two
 * namespaced runs waiting at a before-stage approval; a gate used before is re-armed as
 * KubeFleet would re-request it: its generation is bumped (an approval of an older
 * generation does not count), and the sample waits until the BFF shows it waiting again.
 */
export async function approvalLatencies(b: ApprovalBench): Promise<{ ours: number[]; naive: number[]; floor: number[] }> {
  const waiting = b.runs.filter((r) => r.phase === 'awaiting');
  const gates = [...waiting.filter((r) => !r.namespace).slice(0, 2), ...waiting.filter((r) => r.namespace).slice(0, 2)].map((run) => ({
    run,
    wave: run.stages[run.current]!.name,
    used: false,
  }));
  let bump = 0;
  const arm = async (g: (typeof gates)[number]) => {
    if (!g.used) return;
    const armed = b.stream.waitFor(g.run.id, (r) => r.awaitingApproval?.wave === g.wave);
    await b.admin.expectOk('PATCH', approvalPath(g.run, g.wave), {
      body: { spec: { benchRearm: String(++bump) } },
      contentType: 'application/merge-patch+json',
    });
    await armed;
  };
  const ours: number[] = [];
  for (let i = 0; i < b.n + 2; i++) {
    const g = gates[i % gates.length]!;
    await arm(g);
    const t = performance.now();
    // The bench hub's waves have no health figures: readiness is not Ready, so a reason goes with every approval.
    const res = await b.person.post(`/api/rollouts/${g.run.id}/waves/${g.wave}/approve`, { notReadyReason: 'bench' });
    const body = (await res.json()) as RolloutActionResult;
    const ms = performance.now() - t;
    if (res.status !== 200 || body.outcome !== 'done')
      throw new Error(`approve ${g.run.name}/${g.wave}: ${res.status} ${JSON.stringify(body)}`);
    g.used = true;
    if (i >= 2) ours.push(ms);
  }
  const naive: number[] = [];
  for (let i = 0; i < b.naiveN + 2; i++) {
    const g = gates[i % gates.length]!;
    await arm(g);
    const t = performance.now();
    await naiveApprove(b.hub, b.principal, b.ctx, g.run, g.wave);
    if (i >= 2) naive.push(performance.now() - t);
  }
  // The floor: the one hub write any approval needs (server-side apply of the condition on
  // /status, as the person), straight to the hub — what is left of `ours` above it is Fleetdeck's.
  const floor: number[] = [];
  for (let i = 0; i < b.naiveN + 2; i++) {
    const g = gates[i % gates.length]!;
    await arm(g);
    // Untimed: the generation the condition must name (an approval of an older one does not count).
    const { metadata } = await b.admin.expectOk<{ metadata: { generation: number } }>('GET', approvalPath(g.run, g.wave));
    const t = performance.now();
    const res = await b.hub.request(b.principal, 'PATCH', `${approvalPath(g.run, g.wave)}/status?fieldManager=bench-floor&force=true`, {
      body: {
        apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
        kind: `${g.run.namespace ? '' : 'Cluster'}ApprovalRequest`,
        metadata: { name: approvalName(g.run.name, g.wave), ...(g.run.namespace && { namespace: g.run.namespace }) },
        status: {
          conditions: [
            {
              type: 'Approved',
              status: 'True',
              reason: 'BenchFloor',
              message: 'floor',
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
              observedGeneration: metadata.generation,
            },
          ],
        },
      },
      contentType: 'application/apply-patch+yaml',
    });
    if (res.status !== 200) throw new Error(`floor approve ${g.run.name}/${g.wave}: ${res.status}`);
    if (i >= 2) floor.push(performance.now() - t);
  }
  return { ours, naive, floor };
}
