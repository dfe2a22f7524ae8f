import { describe, expect, it } from 'vitest';

import { headOf, reconcileApp, REFRESH_ANNOTATION, type ArgoApp } from '../../src/argocd/app-controller.ts';
import { appSetStatus, generateApps, ownedBy, withAutomatedSync, type ArgoAppSet } from '../../src/argocd/appset-controller.ts';
import { SIMULATE_ANNOTATION } from '../../src/argocd/seed.ts';

const t0 = new Date('2026-11-26T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

function app(over: Partial<ArgoApp> = {}): ArgoApp {
  return {
    metadata: { name: 'web', namespace: 'argocd', ...over.metadata },
    spec: { source: { repoURL: 'https://git.invalid/a.git', path: 'web', targetRevision: 'main' } },
    ...over,
  };
}

describe('Argo CD stand-in: application controller', () => {
  it('first reconcile computes status from the simulate annotation', () => {
    const sim = {
      sync: 'OutOfSync',
      health: 'Degraded',
      resource: { kind: 'Deployment', name: 'web', status: 'OutOfSync', health: 'Degraded', message: 'm' },
    };
    const next = reconcileApp(app({ metadata: { name: 'web', annotations: { [SIMULATE_ANNOTATION]: JSON.stringify(sim) } } }), t0)!;
    expect(next.status).toMatchObject({
      sync: { status: 'OutOfSync', revision: headOf(next) },
      health: { status: 'Degraded' },
      resources: [{ kind: 'Deployment', name: 'web', status: 'OutOfSync', health: { status: 'Degraded', message: 'm' } }],
      reconciledAt: t0.toISOString(),
    });
    // Deployed an older commit than the branch head: that is why it is OutOfSync.
    expect(next.status?.history?.[0]?.revision).not.toBe(headOf(next));
    expect(reconcileApp(next, later(10))).toBeUndefined();
  });

  it('runs an operation: Running, then after syncMs Succeeded, Synced and Healthy, history appended, operation cleared', () => {
    const idle = reconcileApp(app(), t0)!;
    const asked = { ...idle, operation: { initiatedBy: { username: 'alice' }, sync: { revision: 'v2' } } };
    const running = reconcileApp(asked, later(100), 1000)!;
    expect(running.operation).toEqual(asked.operation);
    expect(running.status?.operationState).toMatchObject({
      phase: 'Running',
      startedAt: later(100).toISOString(),
      operation: asked.operation,
    });
    expect(reconcileApp(running, later(600), 1000)).toBeUndefined();
    const done = reconcileApp(running, later(1200), 1000)!;
    expect(done).not.toHaveProperty('operation');
    expect(done.status).toMatchObject({
      operationState: { phase: 'Succeeded', finishedAt: later(1200).toISOString(), syncResult: { revision: 'v2' } },
      sync: { status: 'Synced', revision: 'v2' },
      health: { status: 'Healthy' },
    });
    expect(done.status?.history?.map((h) => [h.id, h.revision])).toEqual([
      [0, headOf(idle)],
      [1, 'v2'],
    ]);
  });

  it('keeps the last 10 history entries', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ id: i, revision: `r${i}`, deployedAt: t0.toISOString() }));
    const running = {
      ...app(),
      operation: { sync: {} },
      status: { reconciledAt: t0.toISOString(), history, operationState: { phase: 'Running', startedAt: t0.toISOString() } },
    };
    const done = reconcileApp(running, later(5000))!;
    expect(done.status?.history).toHaveLength(10);
    expect(done.status?.history?.at(-1)).toMatchObject({ id: 10, revision: headOf(running) });
  });

  it('reconciles a refresh and removes its annotation', () => {
    const idle = reconcileApp(app(), t0)!;
    const asked = { ...idle, metadata: { ...idle.metadata, annotations: { [REFRESH_ANNOTATION]: 'hard', keep: 'me' } } };
    const next = reconcileApp(asked, later(50))!;
    expect(next.metadata.annotations).toEqual({ keep: 'me' });
    expect(next.status?.reconciledAt).toBe(later(50).toISOString());
  });
});

describe('Argo CD stand-in: ApplicationSet controller', () => {
  const set: ArgoAppSet = {
    metadata: { name: 'guestbook', namespace: 'argocd', uid: 'set-1' },
    spec: {
      generators: [
        {
          list: {
            elements: [
              { cluster: 'c1', url: 'https://c1', env: 'dev' },
              { cluster: 'c2', url: 'https://c2', env: 'prod' },
            ],
          },
        },
      ],
      template: { metadata: { name: 'gb-{{cluster}}', labels: { env: '{{ env }}' } }, spec: { destination: { server: '{{url}}' } } },
    },
  };

  it('generates one owned, never-synced app per list element', () => {
    const apps = generateApps(set);
    expect(apps.map((a) => [a.metadata.name, a.metadata.labels, (a.spec as { destination: unknown }).destination])).toEqual([
      ['gb-c1', { env: 'dev' }, { server: 'https://c1' }],
      ['gb-c2', { env: 'prod' }, { server: 'https://c2' }],
    ]);
    expect(apps.every((a) => ownedBy(a, set))).toBe(true);
    expect(ownedBy(apps[0]!, { ...set, metadata: { ...set.metadata, uid: 'other' } })).toBe(false);
    expect(JSON.parse(apps[0]!.metadata.annotations![SIMULATE_ANNOTATION]!)).toMatchObject({ sync: 'OutOfSync', neverSynced: true });
  });

  it('asks an automated sync only when no operation is set', () => {
    const idle = { ...app(), status: { operationState: { phase: 'Succeeded' }, reconciledAt: 'x' } };
    expect(withAutomatedSync(idle)).toMatchObject({ operation: { initiatedBy: { automated: true } }, status: { reconciledAt: 'x' } });
    expect(withAutomatedSync(idle)?.status).not.toHaveProperty('operationState');
    expect(withAutomatedSync({ ...idle, operation: { initiatedBy: { username: 'a' } } })).toBeUndefined();
  });

  it('writes the set status only when the plan changed it', () => {
    const plan = {
      toSync: ['gb-c1'],
      applicationStatus: [{ application: 'gb-c1', status: 'Progressing', step: '1' }],
      message: 'performing rollout of step 1',
      progressing: true,
    };
    const status = appSetStatus(set, plan, t0)!;
    expect(status.conditions).toEqual([
      {
        type: 'RolloutProgressing',
        status: 'True',
        reason: 'ApplicationSetModified',
        message: 'performing rollout of step 1',
        lastTransitionTime: t0.toISOString(),
      },
    ]);
    expect(appSetStatus({ ...set, status }, { ...plan, toSync: [] }, later(1000))).toBeUndefined();
    const complete = appSetStatus({ ...set, status }, { ...plan, toSync: [], progressing: false, message: 'complete' }, later(2000));
    expect(complete?.conditions).toEqual([
      expect.objectContaining({ status: 'False', reason: 'ApplicationSetRolloutComplete', lastTransitionTime: later(2000).toISOString() }),
    ]);
  });
});
