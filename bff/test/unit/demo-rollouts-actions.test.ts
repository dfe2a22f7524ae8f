import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { demoRolloutSource } from '../../src/sources/demo/demo-rollouts.ts';
import { RolloutActionError, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { singleApproval } from '../helpers/approval-decision.ts';

const T0 = Date.parse('2026-11-26T00:00:00Z');
const CLUSTERS = demoClusters(new Date(T0));
const admin = { principal: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] }, requestId: 'r1' };
const other = { principal: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] }, requestId: 'r2' };

function demo(tickMs = 0) {
  let t = T0;
  const source = demoRolloutSource({ clusters: CLUSTERS, now: () => t, tickMs });
  const changes: string[] = [];
  source.onChange((id) => changes.push(id));
  const at = (s: number) => {
    t = T0 + s * 1000;
    source.refresh();
  };
  const run = (name: string): SourceRollout => {
    const r = source.list().find((x) => x.name === name);
    if (!r) throw new Error(`no run ${name}`);
    return r;
  };
  const setNow = (s: number) => (t = T0 + s * 1000);
  return { source, at, run, changes, setNow };
}

async function refusal(p: Promise<unknown>): Promise<number> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof RolloutActionError)) throw new Error(`expected a RolloutActionError, got ${String(e)}`);
  return e.status;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the demo rollouts’ actions', () => {
  it('approves once; a second approval is a no-op; a wave not waiting is 409; an unknown wave 404', async () => {
    const d = demo();
    d.at(5);
    const r = d.run('cve-2024-critical');
    const first = await d.source.actions.approve(admin, r, 'production', singleApproval('go'));
    expect(first).toMatchObject({ outcome: 'done', code: 'approved' });
    const again = await d.source.actions.approve(other, r, 'production', singleApproval('me too'));
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyApproved' });
    expect(again.message).toContain('platform-admin@demo');
    const gate = d.run('cve-2024-critical').waves[2]!.gates[0]!;
    expect(gate).toMatchObject({
      state: 'Approved',
      approvedBy: 'platform-admin@demo',
      comment: 'go',
      approvedAt: new Date(T0 + 5000).toISOString(),
    });
    expect(d.run('cve-2024-critical').history).toHaveLength(1);
    expect(await refusal(d.source.actions.approve(admin, r, 'canary', singleApproval()))).toBe(409);
    expect(await refusal(d.source.actions.approve(admin, d.run('web-v3-1'), 'production', singleApproval()))).toBe(409);
    expect(await refusal(d.source.actions.approve(admin, r, 'nowhere', singleApproval()))).toBe(404);
  });

  it('pause stops new clusters while in-flight ones finish; resume goes on; repeats are no-ops', async () => {
    const d = demo();
    d.at(0);
    expect(await d.source.actions.approve(other, d.run('web-v3'), 'production', singleApproval())).toMatchObject({ code: 'approved' });
    d.at(3);
    const before = d.run('web-v3').waves[2]!;
    expect(before.progress.updating).toBe(3);
    expect(await d.source.actions.pause(admin, d.run('web-v3'), 'customer call')).toMatchObject({ outcome: 'done', code: 'paused' });
    expect(await d.source.actions.pause(admin, d.run('web-v3'), undefined)).toMatchObject({ outcome: 'no-op', code: 'alreadyPaused' });
    d.at(600);
    const stopped = d.run('web-v3');
    expect(stopped).toMatchObject({ state: 'Stopped', message: 'stopped by platform-admin@demo: customer call' });
    expect(stopped.waves[2]).toMatchObject({ state: 'Stopped', progress: { succeeded: 3, updating: 0 } });
    expect(stopped.history.map((h) => [h.action, h.actor, h.comment])).toEqual([
      ['approve', 'client-a-admin@demo', undefined],
      ['pause', 'platform-admin@demo', 'customer call'],
    ]);
    expect(await d.source.actions.resume(admin, stopped)).toMatchObject({ outcome: 'done', code: 'resumed' });
    expect(await d.source.actions.resume(admin, stopped)).toMatchObject({ outcome: 'no-op', code: 'alreadyRunning' });
    d.at(601);
    expect(d.run('web-v3')).toMatchObject({ state: 'Progressing', waves: [{}, {}, { progress: { succeeded: 3, updating: 3 } }] });
    expect(await refusal(d.source.actions.pause(admin, d.run('web-v3-1'), undefined))).toBe(409);
  });

  it('resuming the stopped client-c run lets production go', async () => {
    const d = demo();
    d.at(0);
    expect(await d.source.actions.resume(admin, d.run('api-v7'))).toMatchObject({ code: 'resumed' });
    d.at(120);
    expect(d.run('api-v7')).toMatchObject({ state: 'Succeeded' });
  });

  it('abort removes the run and tells listeners; a second abort is a no-op', async () => {
    const d = demo();
    d.at(0);
    const r = d.run('apps-v42');
    d.changes.length = 0;
    expect(await d.source.actions.abort(admin, r)).toMatchObject({ outcome: 'done', code: 'aborted' });
    expect(d.changes).toEqual([r.id]);
    expect(d.source.get(r.id)).toBeUndefined();
    expect(d.source.list().map((x) => x.id)).not.toContain(r.id);
    expect(await d.source.actions.abort(admin, r)).toMatchObject({ outcome: 'no-op', code: 'alreadyAborted' });
    d.at(900);
    expect(d.source.get(r.id)).toBeUndefined();
  });

  it('an aborted core-stack comes back a minute later with the next revision', async () => {
    const d = demo();
    d.at(10);
    const r = d.run('core-stack');
    expect(await d.source.actions.abort(admin, r)).toMatchObject({ code: 'aborted' });
    d.at(69);
    expect(d.source.get(r.id)).toBeUndefined();
    d.at(70);
    expect(d.source.get(r.id)).toMatchObject({ revision: '13', state: 'Progressing', currentWave: 'canary', history: [] });
  });

  it('roll back starts a run to the previous revision over the clusters the run touched', async () => {
    const d = demo();
    d.at(0);
    const failed = d.run('web-v3-1');
    const result = await d.source.actions.rollback(admin, failed);
    expect(result).toMatchObject({ outcome: 'done', code: 'rollbackStarted' });
    const back = d.source.get('demo~fleet-client-b~web-v3-1-rollback-1');
    expect(back).toMatchObject({ namespace: 'fleet-client-b', tenant: 'client-b', revision: '30', state: 'Progressing', target: 'web' });
    expect(back?.touches).toEqual(['client-b-dev', 'client-b-staging']);
    expect(back?.rollback).toBeUndefined();
    expect(await d.source.actions.rollback(admin, failed)).toMatchObject({ outcome: 'no-op', code: 'rollbackInProgress' });
    d.at(60);
    expect(d.source.get('demo~fleet-client-b~web-v3-1-rollback-1')).toMatchObject({ state: 'Succeeded', progress: { succeeded: 2 } });
    expect(await d.source.actions.rollback(admin, failed)).toMatchObject({ code: 'rollbackStarted' });
    expect(d.source.get('demo~fleet-client-b~web-v3-1-rollback-2')).toBeDefined();
    expect(await refusal(d.source.actions.rollback(admin, back!))).toBe(409);
    expect(await refusal(d.source.actions.unpin(admin, failed))).toBe(409);
  });

  it('tells listeners of what changed as time passes, and of nothing when nothing did', () => {
    const d = demo();
    d.at(0);
    d.changes.length = 0;
    d.source.refresh();
    expect(d.changes).toEqual([]);
    d.at(0.5);
    const later = d.changes.length;
    d.at(400);
    expect(d.changes.length).toBeGreaterThan(later);
    expect(new Set(d.changes)).toContain('demo~~core-stack');
    // A run waiting for an approval does not change while it waits.
    expect(d.changes).not.toContain('demo~~cve-2024-critical');
  });

  it('ticks on its own clock once started, and not after stop', async () => {
    vi.useFakeTimers();
    const d = demo(1000);
    await d.source.start();
    d.changes.length = 0;
    d.setNow(400);
    vi.advanceTimersByTime(1000);
    expect(d.changes).toContain('demo~~core-stack');
    await d.source.stop();
    d.changes.length = 0;
    d.setNow(800);
    vi.advanceTimersByTime(5000);
    expect(d.changes).toEqual([]);
  });
});
