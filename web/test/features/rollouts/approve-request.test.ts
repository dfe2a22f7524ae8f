import { describe, expect, it } from 'vitest';

import { ReadinessSnapshot } from '@fleetdeck/shared';

import { approveBody, reasonRequired, snapshotOf } from '../../../src/features/rollouts/approve-request.ts';
import { verdictSentence } from '../../../src/features/rollouts/readiness-look.ts';
import { notReady, ready } from './readiness-fixtures.ts';

describe('approveBody', () => {
  it('needs a reason for NotReady and Unknown, not for Ready, nor when no readiness was shown', () => {
    expect(reasonRequired(notReady())).toBe(true);
    expect(reasonRequired(notReady({ verdict: 'Unknown' }))).toBe(true);
    expect(reasonRequired(ready())).toBe(false);
    expect(reasonRequired(undefined)).toBe(false);
  });

  it('refuses to build a not-ready approval without a reason', () => {
    expect(approveBody({ comment: 'ok', notReadyReason: '  ' }, notReady())).toEqual({
      missing: 'Type why you approve this wave although it is not ready.',
    });
  });

  it('asks for a reason when the BFF did, even without a readiness shown, and sends no snapshot then', () => {
    expect(approveBody({ comment: '', notReadyReason: '' }, undefined, true)).toHaveProperty('missing');
    expect(approveBody({ comment: '', notReadyReason: ' INC-7 ' }, undefined, true)).toEqual({ body: { notReadyReason: 'INC-7' } });
  });

  it('sends no reason for a Ready wave even if one was typed before it became ready', () => {
    expect(approveBody({ comment: '', notReadyReason: 'stale text' }, ready())).toEqual({
      body: { readiness: { verdict: 'Ready', reasons: [], evaluatedAt: '2026-11-24T09:58:00Z', digest: 'sha256:ready' } },
    });
  });

  it('bounds the snapshot as the schema does (20 reasons of 500 characters)', () => {
    const many = notReady({ reasons: Array.from({ length: 25 }, (_, i) => `${i}:${'x'.repeat(600)}`) });
    const snap = snapshotOf(many);
    expect(snap.reasons).toHaveLength(20);
    expect(snap.reasons.every((r) => r.length === 500)).toBe(true);
    expect(ReadinessSnapshot.safeParse(snap).success).toBe(true);
  });
});

describe('verdictSentence', () => {
  it('reads "Not ready, because a; b" without doubled full stops, and "Ready" alone', () => {
    expect(verdictSentence('NotReady', ['Pod health low.', 'A violation appeared. '])).toBe(
      'Not ready, because Pod health low; A violation appeared',
    );
    expect(verdictSentence('Unknown', [])).toBe('Readiness unknown');
    expect(verdictSentence('Ready', [])).toBe('Ready');
  });
});
