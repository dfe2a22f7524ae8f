import { describe, expect, it } from 'vitest';

import { mapRun } from '../../bff/src/sources/kubefleet/rollouts/map-run.ts';
import { readApproval, readRun } from '../../bff/src/sources/kubefleet/rollouts/version-adapter.ts';
import { fleetClusters, TENANTS } from '../../testbed/src/kube/seed.ts';
import { parseSse } from '../areas/rollouts-live.ts';
import { benchRuns, runSeeds } from '../areas/rollouts-seed.ts';

const now = new Date('2026-11-26T01:00:00Z');
const clusters = fleetClusters(now, 980);
const runs = benchRuns(clusters, TENANTS);

/** What the BFF's KubeFleet source makes of a seeded run and its approval requests. */
function mapped(name: string) {
  const seeds = runSeeds(runs, now);
  const asRead = (s: (typeof seeds)[number]) => ({ ...s.object, ...(s.status !== undefined && { status: s.status }) });
  const runSeed = seeds.find((s) => s.object.kind.endsWith('StagedUpdateRun') && s.object.metadata.name === name)!;
  const scope = runSeed.object.metadata.namespace ? 'namespaced' : 'cluster';
  const approvals = seeds
    .filter((s) => s.object.kind.endsWith('ApprovalRequest'))
    .map((s) => readApproval(asRead(s), scope)!)
    .filter((a) => a.run === name && a.namespace === runSeed.object.metadata.namespace);
  return mapRun({
    run: readRun(asRead(runSeed), scope)!,
    approvals: new Map(approvals.map((a) => [a.name, a])),
    tenantForNamespace: (ns) => ns.replace(/^fleet-/, ''),
  });
}

describe('the rollouts bench seed', () => {
  it('makes 50 runs over the 1,000 clusters: 14 cluster-scoped, 12 namespaced per tenant', () => {
    expect(clusters).toHaveLength(1000);
    expect(runs).toHaveLength(50);
    expect(runs.filter((r) => !r.namespace)).toHaveLength(14);
    for (const t of TENANTS) expect(runs.filter((r) => r.namespace === `fleet-${t}`)).toHaveLength(12);
    const covered = new Set(runs.flatMap((r) => r.stages.flatMap((s) => s.clusters)));
    expect(covered.size).toBe(1000);
    expect(new Set(runs.map((r) => r.id)).size).toBe(50);
  });

  it('maps a progressing run to Progressing with half its wave done and the planned clusters updating', () => {
    const run = runs.find((r) => r.phase === 'progressing' && r.current > 0 && !r.namespace)!;
    const r = mapped(run.name);
    expect(r.state).toBe('Progressing');
    expect(r.currentWave).toBe(run.stages[run.current]!.name);
    const wave = r.waves[run.current]!;
    expect(wave.clusters.filter((c) => c.state === 'Updating').map((c) => c.cluster)).toEqual(run.updating);
    expect(wave.progress.succeeded).toBe(Math.floor(run.stages[run.current]!.clusters.length / 2));
    expect(r.waves.slice(0, run.current).every((w) => w.state === 'Succeeded')).toBe(true);
    expect(r.awaitingApproval).toBeUndefined();
  });

  it('maps an awaiting run to AwaitingApproval at its current wave’s before-stage gate', () => {
    const run = runs.find((r) => r.phase === 'awaiting' && r.namespace)!;
    const r = mapped(run.name);
    expect(r.state).toBe('AwaitingApproval');
    expect(r.awaitingApproval).toEqual({ wave: run.stages[run.current]!.name, position: 'before' });
    expect(r.history.length).toBe(run.current - 1);
  });
});

describe('parseSse', () => {
  it('splits complete messages, keeps the unfinished rest, skips comments', () => {
    const { messages, rest } = parseSse('retry: 3000\n\n: ping\n\nid: a1\nevent: rollout\ndata: {"x":1}\n\nid: a2\nevent: rol');
    expect(messages).toEqual([{ event: 'rollout', id: 'a1', data: '{"x":1}' }]);
    expect(rest).toBe('id: a2\nevent: rol');
  });
});
