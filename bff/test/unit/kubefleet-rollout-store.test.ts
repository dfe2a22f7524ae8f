import { describe, expect, it } from 'vitest';

import { RolloutStore } from '../../src/sources/kubefleet/rollouts/rollout-store.ts';
import { readApproval, readRun } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
const run = (
  name: string,
  day: number,
  index: string,
  opts: { succeeded?: boolean; namespace?: string; placement?: string; resourceVersion?: string } = {},
) =>
  readRun(
    {
      metadata: {
        name,
        creationTimestamp: at(day),
        ...(opts.namespace && { namespace: opts.namespace }),
        ...(opts.resourceVersion && { resourceVersion: opts.resourceVersion }),
      },
      spec: { placementName: opts.placement ?? 'app', state: 'Run', stagedRolloutStrategyName: 's' },
      status: {
        resourceSnapshotIndexUsed: index,
        conditions: [
          { type: 'Initialized', status: 'True' },
          ...(opts.succeeded ? [{ type: 'Succeeded', status: 'True', reason: 'UpdateRunSucceeded' }] : []),
        ],
        stagesStatus: [
          {
            stageName: 'canary',
            clusters: [
              {
                clusterName: 'c1',
                conditions: [
                  { type: 'Started', status: 'True' },
                  { type: 'Succeeded', status: 'True' },
                ],
              },
            ],
            afterStageTaskStatus: [{ type: 'Approval', approvalRequestName: `${name}-after-canary`, conditions: [] }],
          },
        ],
      },
    },
    opts.namespace ? 'namespaced' : 'cluster',
  )!;
const approval = (runName: string, conditions: unknown[] = [], namespace?: string, resourceVersion?: string) =>
  readApproval(
    {
      metadata: {
        name: `${runName}-after-canary`,
        generation: 1,
        ...(namespace && { namespace }),
        ...(resourceVersion && { resourceVersion }),
      },
      spec: { parentStageRollout: runName, targetStage: 'canary' },
      status: { conditions },
    },
    namespace ? 'namespaced' : 'cluster',
  )!;

function store() {
  const changes: string[] = [];
  const s = new RolloutStore(
    (ns) => (ns === 'fleet-client-a' ? 'client-a' : undefined),
    (id) => changes.push(id),
  );
  return { s, changes };
}

describe('the rollout store', () => {
  it('re-maps a run when its approval request arrives, changes or goes, and tells listeners once per real change', () => {
    const { s, changes } = store();
    s.upsertRun(run('r1', 2, '5'));
    expect(changes).toEqual(['kubefleet~~r1']);
    expect(s.get('kubefleet~~r1')!.state).toBe('Progressing');
    s.upsertApproval(approval('r1'));
    expect(s.get('kubefleet~~r1')!.state).toBe('AwaitingApproval');
    expect(changes).toHaveLength(2);
    // The same object again (a resync) is no change.
    s.upsertApproval(approval('r1'));
    s.upsertRun(run('r1', 2, '5'));
    expect(changes).toHaveLength(2);
    s.upsertApproval(
      approval('r1', [
        {
          type: 'Approved',
          status: 'True',
          reason: 'ApprovedViaFleetdeck',
          message: 'Approved by ada via Fleetdeck',
          lastTransitionTime: at(3),
          observedGeneration: 1,
        },
      ]),
    );
    expect(s.get('kubefleet~~r1')!.waves[0]!.gates[0]).toMatchObject({ state: 'Approved', approvedBy: 'ada' });
    expect(s.get('kubefleet~~r1')!.history).toHaveLength(1);
    s.deleteApproval('cluster', undefined, 'r1-after-canary');
    expect(s.get('kubefleet~~r1')!.waves[0]!.gates[0]!.state).toBe('NotStarted');
    expect(changes).toHaveLength(4);
  });

  it('an approval request that arrives before its run is used when the run comes', () => {
    const { s } = store();
    s.upsertApproval(approval('r1'));
    expect(s.list()).toEqual([]);
    s.upsertRun(run('r1', 2, '5'));
    expect(s.get('kubefleet~~r1')!.awaitingApproval).toEqual({ wave: 'canary', position: 'after' });
  });

  it('keeps namespaces apart: an approval of another namespace does not touch a run of the same name', () => {
    const { s } = store();
    s.upsertRun(run('r1', 2, '5', { namespace: 'fleet-client-a' }));
    s.upsertApproval(approval('r1', [], 'fleet-client-b'));
    s.upsertApproval(approval('r1'));
    const r = s.get('kubefleet-namespaced~fleet-client-a~r1')!;
    expect(r.state).toBe('Progressing');
    expect(r.tenant).toBe('client-a');
  });

  it("re-maps the placement's other runs when one succeeds or goes (their roll back target), and forgets a deleted run", () => {
    const { s, changes } = store();
    s.upsertRun(run('r2', 5, '5'));
    expect(s.get('kubefleet~~r2')!.rollback).toBeUndefined();
    s.upsertRun(run('r1', 2, '4', { succeeded: true }));
    expect(s.get('kubefleet~~r2')!.rollback?.toRevision).toBe('4');
    s.upsertRun(run('x', 1, '1', { succeeded: true, placement: 'other' }));
    expect(s.get('kubefleet~~r2')!.rollback?.toRevision).toBe('4');
    changes.length = 0;
    s.deleteRun('cluster', undefined, 'r1');
    expect(s.get('kubefleet~~r1')).toBeUndefined();
    expect(s.get('kubefleet~~r2')!.rollback).toBeUndefined();
    expect(changes).toEqual(['kubefleet~~r1', 'kubefleet~~r2']);
    expect(s.runOf('kubefleet~~r2')?.strategyName).toBe('s');
    expect(s.runNames('cluster', undefined).sort()).toEqual(['r2', 'x']);
  });

  it('trusts an unchanged resourceVersion: a re-listed object is neither re-mapped nor published', () => {
    const { s, changes } = store();
    s.upsertRun(run('r1', 2, '5', { resourceVersion: '10' }));
    const first = s.get('kubefleet~~r1');
    // Same resourceVersion, other content: only a re-list hands that back, and then the content is the same.
    s.upsertRun(run('r1', 2, '5', { succeeded: true, resourceVersion: '10' }));
    expect(s.get('kubefleet~~r1')).toBe(first);
    expect(changes).toEqual(['kubefleet~~r1']);
    s.upsertRun(run('r1', 2, '5', { succeeded: true, resourceVersion: '11' }));
    expect(s.get('kubefleet~~r1')!.state).toBe('Succeeded');
    expect(changes).toEqual(['kubefleet~~r1', 'kubefleet~~r1']);
    s.upsertApproval(approval('r1', [], undefined, '20'));
    const withGate = s.get('kubefleet~~r1');
    s.upsertApproval(approval('r1', [{ type: 'Approved', status: 'True', observedGeneration: 1 }], undefined, '20'));
    expect(s.get('kubefleet~~r1')).toBe(withGate);
    expect(s.approval('cluster', undefined, 'r1-after-canary')).toMatchObject({ resourceVersion: '20', generation: 1, run: 'r1' });
    expect(s.approval('namespaced', 'fleet-client-a', 'r1-after-canary')).toBeUndefined();
  });

  it('never changes a rollout it handed out: a change is a new object (the rollout service shares them uncopied)', () => {
    const { s } = store();
    s.upsertRun(run('r2', 5, '5'));
    s.upsertRun(run('r1', 2, '4'));
    const handedOut = s.list().map((r) => deepFreeze(r));
    const snapshot = structuredClone(handedOut);
    // Every kind of change: the run itself, its approval, another run of its placement, a deletion.
    s.upsertApproval(approval('r2'));
    s.upsertRun(run('r1', 2, '4', { succeeded: true }));
    s.upsertApproval(approval('r2', [{ type: 'Approved', status: 'True', observedGeneration: 1, lastTransitionTime: at(6) }]));
    s.deleteApproval('cluster', undefined, 'r2-after-canary');
    s.deleteRun('cluster', undefined, 'r1');
    expect(handedOut).toEqual(snapshot);
    expect(s.get('kubefleet~~r2')).not.toBe(handedOut.find((r) => r.id === 'kubefleet~~r2'));
    // An upsert that maps to the same thing keeps the object handed out (it is the same version).
    const kept = s.get('kubefleet~~r2');
    s.upsertRun(run('x', 1, '1', { placement: 'other' }));
    expect(s.get('kubefleet~~r2')).toBe(kept);
  });
});

/** Freezes an object and everything it holds: a write to any of it then throws (modules run in strict mode). */
function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
