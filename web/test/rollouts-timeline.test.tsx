// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { GateCard } from '../src/features/rollouts/gate-card.tsx';
import { PolicyPanel } from '../src/features/rollouts/policy-panel.tsx';
import { WaveTimeline } from '../src/features/rollouts/wave-timeline.tsx';
import { wave } from './rollouts-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const production = wave({
  name: 'production',
  index: 2,
  state: 'Failed',
  maxConcurrency: 2,
  hiddenClusters: 4,
  progress: { total: 9, succeeded: 2, failed: 1, updating: 1 },
  clusters: [
    { cluster: 'prod-us-east', region: 'us-east', state: 'Succeeded' },
    { cluster: 'prod-us-west', region: 'us-west', state: 'Failed', message: 'ImagePullBackOff: web:4.2 not found' },
    { cluster: 'prod-us-east-2', region: 'us-east', state: 'Succeeded' },
    { cluster: 'prod-eu-west', region: 'eu', state: 'Updating' },
    { cluster: 'lab-1', state: 'Held' },
  ],
});
const canary = wave({ name: 'canary', index: 0, state: 'Succeeded', clusters: [{ cluster: 'edge-retail-001', state: 'Succeeded' }] });
const staging = wave({ name: 'staging', index: 1, state: 'Succeeded', maxUnavailable: '10%', unavailable: 0 });

describe('WaveTimeline', () => {
  it('shows the waves as columns in rollout order, marking the current one', () => {
    render(<WaveTimeline waves={[production, canary, staging]} currentWave="production" />);
    const waves = within(screen.getByRole('list', { name: 'Waves in order' })).getAllByTestId('wave');
    expect(waves.map((w) => w.getAttribute('data-wave'))).toEqual(['canary', 'staging', 'production']);
    expect(waves.map((w) => w.getAttribute('aria-current'))).toEqual([null, null, 'step']);
  });

  it('groups a wave’s clusters by region, in the order the source lists them', () => {
    render(<WaveTimeline waves={[production]} currentWave={undefined} />);
    const regions = screen.getAllByTestId('region');
    expect(regions.map((r) => r.getAttribute('data-region'))).toEqual(['us-east', 'us-west', 'eu', 'no region']);
    const names = (r: HTMLElement) =>
      within(r)
        .getAllByTestId('cluster-cell')
        .map((c) => c.getAttribute('data-cluster'));
    expect(names(regions[0]!)).toEqual(['prod-us-east', 'prod-us-east-2']);
    expect(names(regions[3]!)).toEqual(['lab-1']);
    expect(screen.getByRole('group', { name: 'production: us-west' })).toBeTruthy();
  });

  it('labels each cluster’s state in words, with its failure message, and counts hidden clusters', () => {
    render(<WaveTimeline waves={[production]} currentWave={undefined} />);
    const state = (name: string) =>
      within(screen.getAllByTestId('cluster-cell').find((c) => c.getAttribute('data-cluster') === name)!).getByTestId('cluster-state')
        .textContent;
    expect(state('prod-us-east')).toBe('Succeeded');
    expect(state('prod-us-west')).toBe('Failed');
    expect(state('prod-eu-west')).toBe('Updating');
    expect(state('lab-1')).toBe('Held');
    expect(screen.getByText('ImagePullBackOff: web:4.2 not found')).toBeTruthy();
    expect(screen.getByText('+4 clusters outside your scope')).toBeTruthy();
    expect(screen.getByTestId('wave').textContent).toContain('2 / 9 clusters done, 1 failed, 1 updating');
  });

  it('names each limit as its source does, never one as the other', () => {
    render(<WaveTimeline waves={[production, staging]} currentWave={undefined} />);
    const [stagingCol, productionCol] = screen.getAllByTestId('wave');
    expect(productionCol!.textContent).toContain('max concurrent2');
    expect(productionCol!.textContent).not.toContain('max unavailable');
    expect(stagingCol!.textContent).toContain('max unavailable (not ready)10% · 0 not ready now');
    expect(stagingCol!.textContent).not.toContain('max concurrent');
  });
});

describe('GateCard', () => {
  it('counts a timed wait down each second without refetching', () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
    render(
      <GateCard
        wave="staging"
        gate={{ kind: 'TimedWait', position: 'after', state: 'Waiting', waitSeconds: 3600, elapsesAt: '2026-11-24T10:01:30Z' }}
      />,
    );
    const timer = screen.getByRole('timer');
    expect(timer.textContent).toBe('1m 30s left');
    expect(timer.getAttribute('dateTime')).toBe('2026-11-24T10:01:30Z');
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(timer.textContent).toBe('1m 29s left');
    act(() => {
      vi.advanceTimersByTime(89_000);
    });
    expect(timer.textContent).toBe('elapsing now');
    expect(screen.getByRole('group', { name: 'Timed wait after staging' }).textContent).toContain('Wait 1h 00m 00s');
  });

  it('shows who approved, when, with what comment, and whether the controller accepted it', () => {
    render(
      <GateCard
        wave="production"
        gate={{
          kind: 'Approval',
          position: 'before',
          state: 'Approved',
          accepted: true,
          approvedBy: 'pat@demo',
          approvedAt: '2026-11-24T10:00:00Z',
          comment: 'CAB ticket 42',
        }}
      />,
    );
    const gate = screen.getByRole('group', { name: 'Approval before production' });
    expect(gate.textContent).toContain('Approved');
    expect(gate.textContent).toContain('Approved by pat@demo');
    expect(gate.textContent).toContain('“CAB ticket 42”');
    expect(gate.textContent).toContain('Accepted by the controller');
  });
});

describe('PolicyPanel', () => {
  it('shows each field it has with the source field it came from', () => {
    render(
      <PolicyPanel
        policy={{
          maxUnavailable: '25%',
          pauseBetweenWavesSeconds: 3600,
          sourceFields: { maxUnavailable: 'spec.rolloutStrategy.maxUnavailable', pauseBetweenWavesSeconds: 'afterStageTasks[].waitTime' },
        }}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'Max unavailable (not ready)25%spec.rolloutStrategy.maxUnavailable',
      'Pause between waves1h 00m 00safterStageTasks[].waitTime',
    ]);
  });
});
