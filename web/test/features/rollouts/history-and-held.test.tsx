// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { RolloutHistoryEntry } from '@fleetdeck/shared';

import { RolloutHistory } from '../../../src/features/rollouts/rollout-history.tsx';
import { WaveTimeline } from '../../../src/features/rollouts/wave-timeline.tsx';
import { wave } from '../../rollouts-fixtures.ts';

afterEach(cleanup);

describe('History: approvals of waves that were not ready', () => {
  it('shows the reason typed and the readiness the approver saw', () => {
    const entries = [
      RolloutHistoryEntry.parse({
        at: '2026-11-24T10:00:00Z',
        actor: 'pat@demo',
        action: 'approve',
        wave: 'production',
        comment: 'CAB 42',
        notReadyReason: 'Known flaky probe, INC-7',
        readiness: {
          verdict: 'NotReady',
          reasons: ['1 of 2 clusters below 95% pods healthy'],
          evaluatedAt: '2026-11-24T09:58:00Z',
          digest: 'sha256:abc',
        },
        from: 'audit',
      }),
      RolloutHistoryEntry.parse({ at: '2026-11-24T09:00:00Z', actor: 'sam@demo', action: 'pause', from: 'audit' }),
    ];
    render(<RolloutHistory entries={entries} />);
    const table = screen.getByTestId('history');
    expect(within(table).getByRole('columnheader', { name: 'Readiness seen' })).toBeTruthy();
    const [approval, pause] = within(table).getAllByRole('row').slice(1);
    const seen = within(approval!).getByTestId('history-readiness');
    expect(seen.textContent).toContain('Not ready');
    expect(within(seen).getByRole('list', { name: 'Reasons shown' }).textContent).toBe('1 of 2 clusters below 95% pods healthy');
    expect(within(seen).getByTestId('not-ready-reason').textContent).toBe('Approved although not ready: Known flaky probe, INC-7');
    expect(seen.querySelector('time')!.getAttribute('datetime')).toBe('2026-11-24T09:58:00Z');
    expect(within(pause!).queryByTestId('history-readiness')).toBeNull();
  });
});

describe('Fleet gated waves', () => {
  it('says a held wave’s clusters are paused, what that does, and which other bundles it holds', () => {
    const held = wave({
      name: 'production',
      index: 1,
      state: 'Held',
      held: { clusters: 3, otherBundles: ['monitoring-agent', 'ingress'], note: 'Released when the wave is approved.' },
    });
    render(<WaveTimeline waves={[wave({ name: 'canary', index: 0, state: 'Succeeded' }), held]} currentWave="production" />);
    const notes = screen.getAllByTestId('wave-held');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.textContent).toBe(
      'Held by Fleetdeck: 3 clusters paused — a paused cluster holds every bundle on it and stops drift correction; also held: monitoring-agent, ingress' +
        'Released when the wave is approved.',
    );
  });
});
