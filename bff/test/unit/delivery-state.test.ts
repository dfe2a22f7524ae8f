import { describe, expect, it } from 'vitest';

import { FLEET_STATE_RANK, FleetBundleState } from '@fleetdeck/shared';

import { argoStatus, fleetStatus, gitUpdating, repoProblem, worstFleetState, worstStatus } from '../../src/domain/delivery-state.ts';

const FLEET_ORDER = ['ErrApplied', 'WaitApplied', 'Modified', 'OutOfSync', 'Pending', 'NotReady', 'Ready'] as const;

describe('Fleet state ranking', () => {
  it('keeps Fleet’s own order: ErrApplied > WaitApplied > Modified > OutOfSync > Pending > NotReady > Ready', () => {
    expect([...FleetBundleState.options].sort((a, b) => FLEET_STATE_RANK[b] - FLEET_STATE_RANK[a])).toEqual(FLEET_ORDER);
    for (let i = 0; i < FLEET_ORDER.length; i++) expect(worstFleetState(FLEET_ORDER.slice(i).toReversed())).toBe(FLEET_ORDER[i]);
    expect(worstFleetState([])).toBeUndefined();
  });

  it('gives each state a tone, and Modified/OutOfSync read as warnings, WaitApplied and Pending as progressing', () => {
    expect(FLEET_ORDER.map((s) => fleetStatus(s).tone)).toEqual([
      'error',
      'progressing',
      'warning',
      'warning',
      'progressing',
      'warning',
      'ok',
    ]);
  });

  it('worstStatus over Fleet states agrees with Fleet’s roll-up within each tone', () => {
    expect(worstStatus(['Modified', 'OutOfSync', 'NotReady'].map((s) => fleetStatus(s as 'Modified'))).label).toBe('Modified');
    expect(worstStatus(['WaitApplied', 'Pending'].map((s) => fleetStatus(s as 'Pending'))).label).toBe('WaitApplied');
  });

  it('reads a paused, non-failing deployment as paused; a failing one stays an error', () => {
    expect(fleetStatus('OutOfSync', true)).toMatchObject({ label: 'OutOfSync (paused)', tone: 'paused' });
    expect(fleetStatus('ErrApplied', true)).toMatchObject({ label: 'ErrApplied', tone: 'error' });
    expect(fleetStatus('OutOfSync', true).rank).toBeLessThan(fleetStatus('OutOfSync').rank);
  });
});

describe('Argo CD sync + health', () => {
  it('ranks health worst first: Degraded > Missing > Progressing > Suspended > Healthy', () => {
    const order = (['Degraded', 'Missing', 'Progressing', 'Suspended', 'Healthy'] as const).map((h) => argoStatus('Synced', h).rank);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(new Set(order).size).toBe(order.length);
  });

  it('labels sync and health, OutOfSync above Synced at the same health, a failed sync an error', () => {
    expect(argoStatus('OutOfSync', 'Healthy')).toMatchObject({ label: 'OutOfSync / Healthy', tone: 'warning' });
    expect(argoStatus('OutOfSync', 'Healthy').rank).toBeGreaterThan(argoStatus('Synced', 'Healthy').rank);
    expect(argoStatus('Synced', 'Healthy', true)).toMatchObject({ label: 'Synced / Healthy (sync failed)', tone: 'error' });
    expect(argoStatus('Unknown', 'Healthy').tone).toBe('unknown');
    expect(argoStatus('Synced', 'Healthy').tone).toBe('ok');
  });
});

describe('across engines', () => {
  it('a failed Fleet deployment and a Degraded app both sort above anything merely progressing or drifted', () => {
    const progressing = [fleetStatus('WaitApplied'), argoStatus('Synced', 'Progressing'), gitUpdating()];
    const warnings = [fleetStatus('Modified'), argoStatus('OutOfSync', 'Healthy'), argoStatus('Synced', 'Missing')];
    const errors = [fleetStatus('ErrApplied'), argoStatus('Synced', 'Degraded'), repoProblem('git job failed')];
    for (const e of errors) for (const w of [...warnings, ...progressing]) expect(e.rank).toBeGreaterThan(w.rank);
    for (const w of warnings) for (const p of progressing) expect(w.rank).toBeGreaterThan(p.rank);
  });

  it('repo-level trouble outranks every cluster error; no statuses read as "No clusters"', () => {
    expect(worstStatus([fleetStatus('ErrApplied'), argoStatus('Synced', 'Degraded', true), repoProblem('x')]).label).toBe('x');
    expect(worstStatus([])).toMatchObject({ label: 'No clusters', tone: 'unknown' });
    expect(worstStatus([fleetStatus('Ready'), gitUpdating()]).label).toBe('GitUpdating');
  });
});
