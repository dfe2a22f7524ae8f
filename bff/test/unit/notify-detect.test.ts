import { describe, expect, it } from 'vitest';

import { detectNotices } from '../../src/promotion/notify/detect-notices.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { makeRollout } from '../helpers/rollout-fixtures.ts';

const base = {
  name: 'web-v3',
  createdAt: '2026-11-24T10:00:00Z',
  revision: '7',
};
const progressing = makeRollout({
  ...base,
  waves: [
    { name: 'canary', clusters: ['client-a-staging'], state: 'Progressing' },
    { name: 'prod', clusters: ['prod-us-east', 'prod-us-west'] },
  ],
});
const waitingAfterCanary: SourceRollout = {
  ...progressing,
  state: 'AwaitingApproval',
  awaitingApproval: { wave: 'canary', position: 'after' },
  waves: progressing.waves.map((w) => (w.name === 'canary' ? { ...w, state: 'AwaitingApproval' } : w)),
};
const withWave = (r: SourceRollout, name: string, patch: Partial<SourceRollout['waves'][number]>): SourceRollout => ({
  ...r,
  waves: r.waves.map((w) => (w.name === name ? { ...w, ...patch } : w)),
});

describe('detectNotices', () => {
  it('announces a gate that starts waiting, once per (wave, position, revision)', () => {
    const [n, ...rest] = detectNotices(progressing, waitingAfterCanary);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ kind: 'waveWaiting', wave: 'canary', rollout: waitingAfterCanary });
    expect(n!.text).toBe('Rollout web-v3: wave canary finished and is waiting for approval to promote.');
    expect(n!.dedupeKey).toBe('waveWaiting|kubefleet~~web-v3|2026-11-24T10:00:00Z|7|canary|after');
    // The same gate still waiting (a status rewrite) is not news.
    expect(detectNotices(waitingAfterCanary, { ...waitingAfterCanary, updatedAt: '2026-11-24T10:05:00Z' })).toEqual([]);
  });

  it('a gate moving to another wave or position, or a new revision at the same gate, is a new notice', () => {
    const prodBefore: SourceRollout = { ...waitingAfterCanary, awaitingApproval: { wave: 'prod', position: 'before' } };
    const moved = detectNotices(waitingAfterCanary, prodBefore);
    expect(moved.map((n) => [n.kind, n.wave, n.text])).toEqual([
      ['waveWaiting', 'prod', 'Rollout web-v3: wave prod is waiting for approval to start.'],
    ]);
    const newRevision = detectNotices(waitingAfterCanary, { ...waitingAfterCanary, revision: '8' });
    expect(newRevision).toHaveLength(1);
    expect(newRevision[0]!.dedupeKey).not.toBe(detectNotices(progressing, waitingAfterCanary)[0]!.dedupeKey);
  });

  it('a rollout first seen already waiting is news; first seen failed or finished is not', () => {
    expect(detectNotices(undefined, waitingAfterCanary).map((n) => n.kind)).toEqual(['waveWaiting']);
    const failed = withWave({ ...progressing, state: 'Failed' }, 'canary', { state: 'Failed' });
    expect(detectNotices(undefined, failed)).toEqual([]);
    expect(detectNotices(undefined, { ...progressing, state: 'Succeeded' })).toEqual([]);
  });

  it('announces a wave that becomes Failed, with counts and no cluster names', () => {
    const failed = withWave(progressing, 'canary', { state: 'Failed', progress: { total: 1, succeeded: 0, failed: 1, updating: 0 } });
    const notices = detectNotices(progressing, failed);
    expect(notices).toEqual([
      {
        kind: 'waveFailed',
        dedupeKey: 'waveFailed|kubefleet~~web-v3|2026-11-24T10:00:00Z|7|canary',
        rollout: failed,
        wave: 'canary',
        text: 'Rollout web-v3: wave canary failed (1 of 1 clusters failed).',
      },
    ]);
    expect(notices[0]!.text).not.toContain('client-a-staging');
    expect(detectNotices(failed, { ...failed, updatedAt: 'later' })).toEqual([]);
  });

  it('announces completion when the rollout becomes Succeeded, not again after', () => {
    const done: SourceRollout = { ...progressing, state: 'Succeeded', progress: { total: 3, succeeded: 3, failed: 0, updating: 0 } };
    expect(detectNotices(progressing, done)).toEqual([
      {
        kind: 'rolloutCompleted',
        dedupeKey: 'rolloutCompleted|kubefleet~~web-v3|2026-11-24T10:00:00Z|7',
        rollout: done,
        text: 'Rollout web-v3 completed: 3 of 3 clusters updated.',
      },
    ]);
    expect(detectNotices(done, { ...done })).toEqual([]);
  });

  it('a deletion and an unchanged rollout say nothing; a recreated run is another occurrence', () => {
    expect(detectNotices(waitingAfterCanary, undefined)).toEqual([]);
    expect(detectNotices(progressing, progressing)).toEqual([]);
    const first = detectNotices(progressing, waitingAfterCanary)[0]!.dedupeKey;
    const again = detectNotices(undefined, { ...waitingAfterCanary, createdAt: '2026-11-25T08:00:00Z' })[0]!.dedupeKey;
    expect(again).not.toBe(first);
  });
});
