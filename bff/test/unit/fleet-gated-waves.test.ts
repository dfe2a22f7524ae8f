import { describe, expect, it } from 'vitest';

import { Rollout, type RecordedApproval } from '@fleetdeck/shared';

import type { BundleDeploymentObject } from '../../src/sources/rancher/bundles/fleet-objects.ts';
import { HELD_NOTE, SOAK_ACTOR } from '../../src/sources/rancher/bundles/gated-waves.ts';
import {
  approvalsKey,
  currentApprovals,
  gatingOf,
  parseApprovals,
  soakReleaseAudit,
  type BundleApprovals,
} from '../../src/sources/rancher/bundles/gating-annotations.ts';
import { planHolds, releaseFor } from '../../src/sources/rancher/bundles/hold-plan.ts';
import { mapBundleGated, type MappedBundle } from '../../src/sources/rancher/bundles/map-bundle.ts';
import {
  bundleDeploymentView,
  bundleView,
  clusterGroupView,
  fleetClusterView,
  gitRepoView,
} from '../../src/sources/rancher/bundles/reduce-objects.ts';
import type { FleetClusterView } from '../../src/sources/rancher/bundles/fleet-objects.ts';
import { bundle, CLUSTERS, deployment, EDGE_GROUP, gitRepo, NS, type Phase } from './fleet-bundle-fixtures.ts';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const GATED = { 'fleetdeck.dev/gated-waves': 'true' };
const KEY = `${NS}/cve-patch`;

/** A deployment whose Ready and Deployed conditions turned True `minutes` after T0 (when it is ready). */
function bd(cluster: string, phase: Phase, minutes = 0): BundleDeploymentObject {
  const d = deployment(cluster, phase);
  const when = at(minutes).toISOString();
  d.status = {
    ...d.status,
    conditions: [
      { type: 'Deployed', status: 'True', lastTransitionTime: when },
      { type: 'Ready', status: d.status?.ready ? 'True' : 'False', lastTransitionTime: when },
    ],
  };
  return d;
}

const approval = (user: string): RecordedApproval => ({ user, at: at(1).toISOString(), groups: [] });

function map(
  phases: Record<string, Phase | [Phase, number]>,
  opts: { annotations?: Record<string, string>; record?: BundleApprovals; now?: Date; bundlesOn?: (k: string) => string[] } = {},
): MappedBundle {
  const b = bundle({ labels: { 'fleet.cattle.io/commit': 'c2' } });
  b.metadata!.annotations = opts.annotations ?? GATED;
  const repo = gitRepo(opts.record ? { annotations: { [approvalsKey('cve-patch')]: JSON.stringify(opts.record) } } : {});
  return mapBundleGated({
    bundle: bundleView(b)!,
    deployments: Object.entries(phases).map(([c, p]) => bundleDeploymentView(Array.isArray(p) ? bd(c, p[0], p[1]) : bd(c, p))!),
    gitRepo: gitRepoView(repo),
    clusters: CLUSTERS.map((c) => fleetClusterView(c)!),
    groups: [clusterGroupView(EDGE_GROUP)!],
    bundlesOn: opts.bundlesOn ?? (() => []),
    now: opts.now ?? at(5),
  });
}
const wave = (m: MappedBundle, name: string) => m.rollout.waves.find((w) => w.name === name)!;
const claimOf = (m: MappedBundle, cluster: string) => m.claims.get(`${NS}/${cluster}`);
const allowed = { allowed: true };
const actions = { approve: allowed, pause: allowed, resume: allowed, abort: allowed, rollback: allowed, reject: allowed, unpin: allowed };
const valid = (m: MappedBundle) =>
  expect(() =>
    Rollout.parse({
      ...m.rollout,
      ...(m.rollout.awaitingApproval && { awaitingApproval: { ...m.rollout.awaitingApproval, canApprove: true } }),
      actions,
      approveWaves: {},
      redacted: false,
      hiddenClusters: 0,
    }),
  ).not.toThrow();

/** canary updated to c2; edge and production staged but held. */
const CANARY_DONE: Record<string, Phase | [Phase, number]> = {
  'canary-1': ['done', 2],
  'edge-1': 'held',
  'edge-2': 'held',
  'edge-3': 'held',
  'prod-1': 'held',
  'prod-2': 'held',
};

describe('gated-wave annotations', () => {
  it('opts in only with "true", and parses the soak as a Go duration', () => {
    expect(gatingOf({})).toEqual({ gated: false });
    expect(gatingOf({ 'fleetdeck.dev/gated-waves': 'false', 'fleetdeck.dev/soak': '30m' })).toEqual({ gated: false });
    expect(gatingOf({ 'fleetdeck.dev/gated-waves': 'True' })).toEqual({ gated: true });
    expect(gatingOf({ ...GATED, 'fleetdeck.dev/soak': '30m' })).toEqual({ gated: true, soakSeconds: 1800 });
    expect(gatingOf({ ...GATED, 'fleetdeck.dev/soak': '1h30m' })).toEqual({ gated: true, soakSeconds: 5400 });
    expect(gatingOf({ ...GATED, 'fleetdeck.dev/soak': '30 minutes' }).soakError).toMatch(/not a duration/);
    expect(gatingOf({ ...GATED, 'fleetdeck.dev/soak': '200h' }).soakError).toMatch(/not a duration/);
    expect(gatingOf({ ...GATED, 'fleetdeck.dev/soak': '0s' }).soakSeconds).toBeUndefined();
  });

  it('keys approvals per bundle within the 63-character name limit, and reads only well-formed records of this version', () => {
    expect(approvalsKey('cve-patch')).toBe('fleetdeck.dev/approvals.cve-patch');
    const long = approvalsKey(`${'a'.repeat(70)}-bundle`);
    expect(long.split('/')[1]!.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(approvalsKey(`${'a'.repeat(70)}-other`));
    expect(parseApprovals('not json')).toBeUndefined();
    expect(parseApprovals(JSON.stringify({ revision: 'c1', waves: { edge: { approvals: [{ user: '' }] } } }))).toBeUndefined();
    const rec: BundleApprovals = { revision: 'c1', waves: { edge: { approvals: [approval('ana')], releasedAt: at(1).toISOString() } } };
    expect(parseApprovals(JSON.stringify(rec))).toEqual(rec);
    expect(currentApprovals(rec, 'c2')).toEqual({ revision: 'c2', waves: {} });
    expect(currentApprovals(rec, 'c1')).toBe(rec);
  });
});

describe('gated waves of a Fleet bundle', () => {
  it('a bundle without the annotation has no gates and holds nothing', () => {
    const m = map(CANARY_DONE, { annotations: {} });
    expect(m.rollout.waves.every((w) => w.gates.length === 0 && w.held === undefined)).toBe(true);
    expect(m.gating).toBeUndefined();
    expect([...m.claims.values()].every((c) => c === 'needs')).toBe(true);
  });

  it('holds the clusters of every wave after the first until it is approved; the first waiting one awaits approval', () => {
    const m = map(CANARY_DONE);
    valid(m);
    expect(wave(m, 'canary').gates).toEqual([]);
    expect(wave(m, 'edge')).toMatchObject({
      state: 'AwaitingApproval',
      gates: [{ kind: 'Approval', position: 'before', state: 'Waiting', waitingSince: at(2).toISOString() }],
      held: { clusters: 3, otherBundles: [], note: HELD_NOTE },
    });
    expect(wave(m, 'production')).toMatchObject({ state: 'Held', gates: [{ kind: 'Approval', state: 'NotStarted' }] });
    expect(m.rollout).toMatchObject({
      state: 'AwaitingApproval',
      currentWave: 'edge',
      awaitingApproval: { wave: 'edge', position: 'before' },
    });
    expect(m.rollout.annotations).toEqual(GATED);
    expect(claimOf(m, 'canary-1')).toBeUndefined();
    for (const c of ['edge-1', 'edge-2', 'edge-3', 'prod-1', 'prod-2']) expect(claimOf(m, c)).toBe('gate');
  });

  it('a wave released by its recorded final approval stops being held; the next one awaits approval', () => {
    const record: BundleApprovals = {
      revision: 'c2',
      waves: { edge: { approvals: [approval('ana'), approval('bo')], releasedAt: at(3).toISOString(), releasedBy: 'bo' } },
    };
    const m = map(CANARY_DONE, { record });
    expect(wave(m, 'edge').gates[0]).toMatchObject({ state: 'Approved', approvedBy: 'bo', approvedAt: at(3).toISOString() });
    expect(wave(m, 'edge').held).toBeUndefined();
    for (const c of ['edge-1', 'edge-2', 'edge-3']) expect(claimOf(m, c)).toBe('needs');
    expect(wave(m, 'production')).toMatchObject({ state: 'AwaitingApproval', gates: [{ state: 'Waiting' }] });
    expect(claimOf(m, 'prod-1')).toBe('gate');
    expect(m.rollout.recordedApprovals).toEqual({ edge: record.waves.edge!.approvals });
    expect(m.rollout.history.map((h) => [h.actor, h.action, h.wave, h.from])).toEqual([
      ['ana', 'approve', 'edge', 'upstream'],
      ['bo', 'approve', 'edge', 'upstream'],
    ]);
    // Partial approvals (no release yet) are shown but release nothing.
    const partial = map(CANARY_DONE, { record: { revision: 'c2', waves: { edge: { approvals: [approval('ana')] } } } });
    expect(wave(partial, 'edge').gates[0]!.state).toBe('Waiting');
    expect(claimOf(partial, 'edge-1')).toBe('gate');
    expect(partial.rollout.recordedApprovals).toEqual({ edge: [approval('ana')] });
  });

  it('approvals of an earlier commit release nothing: a new version is held again', () => {
    const m = map(CANARY_DONE, {
      record: { revision: 'c1', waves: { edge: { approvals: [approval('ana')], releasedAt: at(0).toISOString() } } },
    });
    expect(wave(m, 'edge').gates[0]!.state).toBe('Waiting');
    expect(claimOf(m, 'edge-1')).toBe('gate');
    expect(m.rollout.recordedApprovals).toEqual({});
  });

  it('a wave done at this version is held on standby for the next one (yielding to bundles that need the cluster)', () => {
    const all: Record<string, Phase> = {
      'canary-1': 'done',
      'edge-1': 'done',
      'edge-2': 'done',
      'edge-3': 'done',
      'prod-1': 'done',
      'prod-2': 'done',
    };
    const m = map(all, { bundlesOn: (k) => (k === `${NS}/edge-1` ? [KEY, `${NS}/monitoring`] : [KEY]) });
    expect(m.rollout.state).toBe('Succeeded');
    expect(claimOf(m, 'edge-1')).toBe('standby');
    expect(claimOf(m, 'canary-1')).toBeUndefined();
    expect(wave(m, 'edge').held).toEqual({ clusters: 3, otherBundles: ['monitoring'], note: HELD_NOTE });
  });

  it('soak: a countdown from when the previous wave became healthy, then released by the timer', () => {
    const soak = { ...GATED, 'fleetdeck.dev/soak': '30m' };
    const waiting = map(CANARY_DONE, { annotations: soak, now: at(10) });
    expect(wave(waiting, 'edge').gates).toEqual([
      { kind: 'Approval', position: 'before', state: 'Waiting', waitingSince: at(2).toISOString() },
      {
        kind: 'TimedWait',
        position: 'before',
        state: 'Waiting',
        waitSeconds: 1800,
        waitingSince: at(2).toISOString(),
        elapsesAt: at(32).toISOString(),
      },
    ]);
    expect(waiting.gating?.nextAt).toEqual(at(32));
    expect(claimOf(waiting, 'edge-1')).toBe('gate');
    // Production's countdown has not started: edge is neither released nor healthy.
    expect(wave(waiting, 'production').gates[1]).toMatchObject({ kind: 'TimedWait', state: 'NotStarted' });

    const elapsed = map(CANARY_DONE, { annotations: soak, now: at(32) });
    expect(wave(elapsed, 'edge').gates).toMatchObject([
      { kind: 'Approval', state: 'Approved', approvedBy: SOAK_ACTOR },
      { kind: 'TimedWait', state: 'Elapsed' },
    ]);
    expect(claimOf(elapsed, 'edge-1')).toBe('needs');
    expect(elapsed.gating?.soakReleased.get(`${NS}/edge-2`)).toBe('edge');
    expect(wave(elapsed, 'production').state).toBe('AwaitingApproval');
    expect(claimOf(elapsed, 'prod-1')).toBe('gate');
  });

  it('soak never starts while the previous wave is not healthy', () => {
    const m = map({ ...CANARY_DONE, 'canary-1': 'notReady' }, { annotations: { ...GATED, 'fleetdeck.dev/soak': '1s' }, now: at(600) });
    expect(wave(m, 'edge').gates[1]).toMatchObject({ kind: 'TimedWait', state: 'NotStarted' });
    expect(claimOf(m, 'edge-1')).toBe('gate');
  });

  it('a malformed soak is reported and ignored', () => {
    const m = map(CANARY_DONE, { annotations: { ...GATED, 'fleetdeck.dev/soak': 'soon' } });
    expect(m.rollout.errors[0]!.reason).toMatch(/fleetdeck.dev\/soak/);
    expect(wave(m, 'edge').gates).toHaveLength(1);
  });

  it('the soak release is audited as done by Fleetdeck on behalf of the rule', () => {
    const m = map(CANARY_DONE, { annotations: { ...GATED, 'fleetdeck.dev/soak': '30m' } });
    const entry = soakReleaseAudit(m.rollout, 'edge', 'req-1');
    expect(entry).toMatchObject({ actor: 'fleetdeck', action: 'approve', result: 'success', target: `${m.rollout.id}/waves/edge` });
    expect(entry.detail).toMatch(/soak time \(fleetdeck.dev\/soak: 30m\).*on behalf of the rule/);
  });
});

describe('holding Fleet Clusters for several bundles', () => {
  const cluster = (name: string, paused: boolean, heldBy?: string): FleetClusterView => ({
    name,
    namespace: NS,
    labels: {},
    paused,
    ...(heldBy !== undefined && { heldBy }),
  });
  const claims = (entries: [string, [string, 'gate' | 'standby' | 'needs'][]][]) =>
    new Map(entries.map(([b, cs]) => [b, new Map(cs.map(([c, k]) => [`${NS}/${c}`, k]))]));

  it('pauses a cluster a gated bundle holds, naming every bundle holding it', () => {
    const changes = planHolds(
      [cluster('a', false), cluster('b', false)],
      claims([
        ['ns/one', [['a', 'gate']]],
        [
          'ns/two',
          [
            ['a', 'gate'],
            ['b', 'needs'],
          ],
        ],
      ]),
    );
    expect(changes).toEqual([{ namespace: NS, name: 'a', paused: true, heldBy: 'ns/one,ns/two', released: [] }]);
  });

  it('keeps a cluster paused until the last bundle releases it, then unpauses it', () => {
    const held = cluster('a', true, 'ns/one,ns/two');
    expect(planHolds([held], claims([['ns/two', [['a', 'gate']]]]))).toEqual([
      { namespace: NS, name: 'a', paused: true, heldBy: 'ns/two', released: ['ns/one'] },
    ]);
    expect(planHolds([held], claims([['ns/two', [['a', 'needs']]]]))).toEqual([
      { namespace: NS, name: 'a', paused: false, heldBy: undefined, released: ['ns/one', 'ns/two'] },
    ]);
  });

  it('never unpauses or marks a cluster somebody else paused', () => {
    expect(planHolds([cluster('a', true)], claims([['ns/one', [['a', 'gate']]]]))).toEqual([]);
    expect(planHolds([cluster('a', true)], claims([]))).toEqual([]);
  });

  it('a standby hold yields to a bundle that needs the cluster, and holds again when none does', () => {
    expect(
      planHolds(
        [cluster('a', true, 'ns/one')],
        claims([
          ['ns/one', [['a', 'standby']]],
          ['ns/x', [['a', 'needs']]],
        ]),
      ),
    ).toMatchObject([{ name: 'a', paused: false }]);
    expect(planHolds([cluster('a', false)], claims([['ns/one', [['a', 'standby']]]]))).toMatchObject([
      { name: 'a', paused: true, heldBy: 'ns/one' },
    ]);
  });

  it('an approval releases one bundle from a cluster: unpaused only when no other bundle holds it', () => {
    const doc = (heldBy: string) => ({
      metadata: { name: 'a', resourceVersion: '7', annotations: { 'fleetdeck.dev/held-by': heldBy, other: 'x' } },
      spec: { paused: true },
    });
    expect(releaseFor(doc('ns/one,ns/two'), 'ns/one', 'fleetdeck.dev/held-by')).toEqual({
      metadata: { name: 'a', resourceVersion: '7', annotations: { 'fleetdeck.dev/held-by': 'ns/two', other: 'x' } },
      spec: { paused: true },
    });
    expect(releaseFor(doc('ns/one'), 'ns/one', 'fleetdeck.dev/held-by')).toEqual({
      metadata: { name: 'a', resourceVersion: '7', annotations: { other: 'x' } },
      spec: { paused: false },
    });
    expect(releaseFor(doc('ns/two'), 'ns/one', 'fleetdeck.dev/held-by')).toBeUndefined();
    expect(releaseFor({ metadata: {}, spec: { paused: true } }, 'ns/one', 'fleetdeck.dev/held-by')).toBeUndefined();
  });
});
