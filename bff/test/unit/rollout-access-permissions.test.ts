import { describe, expect, it } from 'vitest';

import type { RolloutActionKind } from '@fleetdeck/shared';

import { rolloutDetailFor, rolloutSummaryFor } from '../../src/access/rollout-access.ts';
import { stateConflict } from '../../src/access/rollouts/rollout-permissions.ts';
import { CTX, PERSONAS, makeRollout, viewerOf } from '../helpers/rollout-fixtures.ts';

const P = Object.fromEntries(Object.entries(PERSONAS).map(([k, p]) => [k, viewerOf(p)])) as Record<
  keyof typeof PERSONAS,
  ReturnType<typeof viewerOf>
>;

/** client-a only: a gate wholly inside client-a. */
const gateA = makeRollout({
  name: 'web-v3',
  waves: [
    { name: 'canary', clusters: ['client-a-staging'], state: 'Succeeded' },
    { name: 'production', clusters: ['prod-us-east', 'prod-us-west'], waiting: true },
  ],
});
/** A gate spanning tenants. */
const gateCross = makeRollout({
  name: 'cve-2024-critical',
  waves: [
    { name: 'canary', clusters: ['edge-retail-001'], state: 'Succeeded' },
    { name: 'production', clusters: ['prod-us-east', 'prod-eu-west'], waiting: true },
  ],
});
const emptyGate = makeRollout({ name: 'nothing', waves: [{ name: 'none', clusters: [], waiting: true }] });
const nsA = makeRollout({
  name: 'shop',
  namespace: 'fleet-client-a',
  waves: [{ name: 'prod', clusters: ['prod-us-east'], waiting: true }],
});
const nsB = makeRollout({ name: 'apps', namespace: 'fleet-client-b', waves: [{ name: 'dev', clusters: ['client-b-dev'] }] });
const bundle = makeRollout({
  name: 'core-stack',
  source: 'rancher-fleet',
  namespace: 'fleet-default',
  waves: [{ name: 'c', clusters: ['prod-us-east'] }],
});

const approve = (p: keyof typeof PERSONAS, r: typeof gateA, wave: string) => rolloutDetailFor(P[p], r, CTX)?.approveWaves[wave];
const may = (p: keyof typeof PERSONAS, r: typeof gateA, action: RolloutActionKind) => rolloutDetailFor(P[p], r, CTX)?.actions[action];

describe('approving a wave', () => {
  it('lets a Platform Admin approve any waiting gate, and a Tenant Admin only a gate wholly in their tenant', () => {
    expect(approve('platformAdmin', gateA, 'production')).toEqual({ allowed: true });
    expect(approve('platformAdmin', gateCross, 'production')).toEqual({ allowed: true });
    expect(approve('clientAAdmin', gateA, 'production')).toEqual({ allowed: true });
    expect(approve('clientAAdmin', gateCross, 'production')).toEqual({
      allowed: false,
      reason: 'this wave includes clusters outside your scope',
    });
    expect(approve('clientBAdmin', gateCross, 'production')?.allowed).toBe(false);
    expect(approve('clientAAdmin', nsA, 'prod')).toEqual({ allowed: true });
  });

  it('never lets Developers or Viewers approve, and says why', () => {
    expect(approve('clientADev', gateA, 'production')).toEqual({ allowed: false, reason: 'your roles do not include approving rollouts' });
    expect(approve('fleetViewer', gateCross, 'production')?.allowed).toBe(false);
    expect(approve('clientBViewer', gateCross, 'production')?.allowed).toBe(false);
  });

  it('refuses waves without a waiting gate, and needs a fleet-wide approver for a wave without clusters', () => {
    expect(approve('platformAdmin', gateA, 'canary')).toEqual({ allowed: false, reason: 'no approval is waiting at this wave' });
    expect(approve('platformAdmin', emptyGate, 'none')).toEqual({ allowed: true });
    // Nobody else even sees a cluster-scoped run that touches nothing.
    expect(rolloutDetailFor(P.clientAAdmin, emptyGate, CTX)).toBeUndefined();
  });

  it('marks the summary "awaiting your approval" only for people who may give it', () => {
    expect(rolloutSummaryFor(P.clientAAdmin, gateA, CTX)?.awaitingApproval).toEqual({
      wave: 'production',
      position: 'before',
      canApprove: true,
    });
    expect(rolloutSummaryFor(P.clientAAdmin, gateCross, CTX)?.awaitingApproval?.canApprove).toBe(false);
    expect(rolloutSummaryFor(P.fleetViewer, gateA, CTX)?.awaitingApproval?.canApprove).toBe(false);
    expect(rolloutDetailFor(P.clientAAdmin, gateA, CTX)?.actions.approve).toEqual({ allowed: true });
  });
});

describe('pause, resume, reject, abort, roll back, unpin', () => {
  it('are Platform Admins’ only on cluster-scoped runs and Fleet bundles', () => {
    expect(may('platformAdmin', gateCross, 'pause')).toEqual({ allowed: true });
    expect(may('clientAAdmin', gateA, 'pause')).toEqual({
      allowed: false,
      reason: 'only Platform Admins may change a rollout that is not owned by one tenant',
    });
    expect(may('clientAAdmin', bundle, 'pause')).toEqual({ allowed: false, reason: 'only Platform Admins may change a Fleet bundle' });
    expect(may('platformAdmin', bundle, 'pause')).toEqual({ allowed: true });
  });

  it('are also the run’s Tenant Admins’ on namespaced runs, never another tenant’s or a Developer’s or Viewer’s', () => {
    expect(may('clientAAdmin', nsA, 'pause')).toEqual({ allowed: true });
    expect(may('clientBAdmin', nsB, 'abort')).toEqual({ allowed: true });
    expect(rolloutDetailFor(P.clientBAdmin, nsA, CTX)).toBeUndefined();
    expect(may('clientADev', nsA, 'pause')).toEqual({ allowed: false, reason: 'your roles do not include operating rollouts' });
    expect(may('clientBViewer', nsB, 'pause')?.allowed).toBe(false);
    expect(may('fleetViewer', nsB, 'resume')?.allowed).toBe(false);
  });

  it('follow the rollout’s state and source', () => {
    const stopped = { ...nsA, state: 'Stopped' as const };
    expect(may('platformAdmin', stopped, 'pause')).toEqual({ allowed: false, reason: 'the rollout is already paused' });
    expect(may('platformAdmin', stopped, 'resume')).toEqual({ allowed: true });
    expect(may('platformAdmin', nsA, 'resume')).toEqual({ allowed: false, reason: 'the rollout is not paused' });
    expect(may('platformAdmin', { ...nsA, state: 'Succeeded' }, 'reject')).toEqual({ allowed: false, reason: 'the rollout has finished' });
    expect(may('platformAdmin', bundle, 'abort')?.allowed).toBe(false);
    expect(may('platformAdmin', nsA, 'rollback')?.allowed).toBe(false);
    const withPlan = { ...nsA, rollback: { toRevision: '1', clusters: ['prod-us-east'], hiddenClusters: 0, note: 'n' } };
    expect(may('clientAAdmin', withPlan, 'rollback')).toEqual({ allowed: true });
    expect(may('platformAdmin', bundle, 'unpin')?.allowed).toBe(false);
    expect(may('platformAdmin', { ...bundle, pinned: { revision: 'abc' } }, 'unpin')).toEqual({ allowed: true });
  });

  it('leave repeats to the source (idempotent), but refuse what the state rules out', () => {
    expect(stateConflict('pause', { ...nsA, state: 'Stopped' })).toBeUndefined();
    expect(stateConflict('resume', nsA)).toBeUndefined();
    expect(stateConflict('pause', { ...nsA, state: 'Failed' })).toBe('the rollout has finished');
    expect(stateConflict('abort', bundle)).toMatch(/cannot be aborted/);
    expect(stateConflict('rollback', nsA)).toMatch(/no earlier revision/);
  });
});
