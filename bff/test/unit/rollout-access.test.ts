import { describe, expect, it } from 'vitest';

import { Rollout, RolloutSummary } from '@fleetdeck/shared';

import { rolloutDetailFor, rolloutSummaryFor, tenantNamespaceMapper } from '../../src/access/rollout-access.ts';
import { CTX, NOT_FOR_CLIENT_A, PERSONAS, makeRollout, viewerOf } from '../helpers/rollout-fixtures.ts';

const P = Object.fromEntries(Object.entries(PERSONAS).map(([k, p]) => [k, viewerOf(p)])) as Record<
  keyof typeof PERSONAS,
  ReturnType<typeof viewerOf>
>;

/** Cluster-scoped, wholly client-a: canary on staging, then prod-us-east behind an approval. */
const fullA = makeRollout({
  name: 'web-v3',
  createdAt: '2026-11-24T08:00:00Z',
  waves: [
    { name: 'canary', clusters: ['client-a-staging'], state: 'Succeeded' },
    { name: 'production', clusters: ['prod-us-east'], waiting: true },
  ],
});

/** The brief's CVE patch across every tenant, full of upstream text that names clusters. */
const cross = makeRollout({
  name: 'cve-2024-critical',
  waves: [
    { name: 'canary', clusters: ['edge-retail-001'], state: 'Succeeded' },
    {
      name: 'production',
      clusters: ['prod-us-east', 'prod-eu-west', 'prod-asia'],
      waiting: true,
      message: 'held: prod-asia is not ready',
      comment: 'prod-eu-west first, please',
    },
  ],
  message: 'UpdateRunStuck: clusters prod-eu-west, prod-asia have been updating for 6 minutes',
  conditions: [{ type: 'Progressing', status: 'False', reason: 'UpdateRunStuck', message: 'prod-eu-west, prod-asia stuck' }],
  history: [
    {
      at: '2026-11-24T09:00:00Z',
      actor: 'platform-admin@demo',
      action: 'approve',
      wave: 'canary',
      comment: 'client-b asked to wait',
      from: 'upstream',
    },
    { at: '2026-11-24T09:05:00Z', actor: 'client-a-admin@demo', action: 'pause', comment: 'my own note', from: 'audit' },
  ],
  rollback: {
    toRevision: '3',
    fromRevision: '4',
    clusters: ['edge-retail-001', 'prod-us-east', 'prod-eu-west', 'prod-asia'],
    hiddenClusters: 0,
    note: 'a new run with resource snapshot 3 for edge-retail-001, prod-us-east, prod-eu-west, prod-asia',
  },
  errors: [
    { source: 'kubefleet', cluster: 'prod-asia', reason: 'prod-asia: work not applied' },
    { source: 'kubefleet', reason: 'approval request of prod-eu-west unreadable' },
  ],
});

const nsA = makeRollout({
  name: 'shop',
  namespace: 'fleet-client-a',
  waves: [
    { name: 'staging', clusters: ['client-a-staging'], state: 'Succeeded' },
    { name: 'prod', clusters: ['prod-us-east', 'prod-us-west'], waiting: true },
  ],
});
const nsB = makeRollout({
  name: 'apps-v42',
  namespace: 'fleet-client-b',
  waves: [{ name: 'dev', clusters: ['client-b-dev', 'client-b-staging'] }],
});
/** A client-b run that touches only a client-a cluster: still client-b's, never client-a's to see. */
const nsBOnA = makeRollout({ name: 'sneaky', namespace: 'fleet-client-b', waves: [{ name: 'one', clusters: ['prod-us-east'] }] });
const unknown = makeRollout({ name: 'mystery', waves: [{ name: 'all', clusters: ['not-in-inventory'] }] });
const bundle = makeRollout({
  name: 'core-stack',
  source: 'rancher-fleet',
  namespace: 'fleet-default',
  waves: [{ name: 'canary', clusters: ['edge-retail-001'] }],
  pinned: { revision: 'abc123', branch: 'main' },
});

type Seen = 'full' | 'redacted' | 'none';
const seen = (v: ReturnType<typeof viewerOf>, r: typeof fullA): Seen => {
  const s = rolloutSummaryFor(v, r, CTX);
  return s === undefined ? 'none' : s.redacted ? 'redacted' : 'full';
};

describe('who sees which rollout', () => {
  const table: [keyof typeof PERSONAS, Record<string, Seen>][] = [
    ['platformAdmin', { fullA: 'full', cross: 'full', nsA: 'full', nsB: 'full', nsBOnA: 'full', unknown: 'full', bundle: 'full' }],
    ['clientAAdmin', { fullA: 'full', cross: 'redacted', nsA: 'full', nsB: 'none', nsBOnA: 'none', unknown: 'none', bundle: 'full' }],
    ['clientBAdmin', { fullA: 'none', cross: 'redacted', nsA: 'none', nsB: 'full', nsBOnA: 'redacted', unknown: 'none', bundle: 'none' }],
    ['clientADev', { fullA: 'redacted', cross: 'none', nsA: 'redacted', nsB: 'none', nsBOnA: 'none', unknown: 'none', bundle: 'none' }],
    ['clientBViewer', { fullA: 'none', cross: 'redacted', nsA: 'none', nsB: 'full', nsBOnA: 'redacted', unknown: 'none', bundle: 'none' }],
    ['fleetViewer', { fullA: 'full', cross: 'full', nsA: 'full', nsB: 'full', nsBOnA: 'full', unknown: 'full', bundle: 'full' }],
  ];
  const runs = { fullA, cross, nsA, nsB, nsBOnA, unknown, bundle };
  for (const [persona, expected] of table) {
    it(`as ${persona}`, () => {
      const actual = Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, seen(P[persona], r)]));
      expect(actual).toEqual(expected);
    });
  }

  it('gives the tenant of a namespaced run, or the one tenant of all its clusters, never a guess', () => {
    expect(rolloutSummaryFor(P.platformAdmin, fullA, CTX)?.tenant).toBe('client-a');
    expect(rolloutSummaryFor(P.platformAdmin, nsBOnA, CTX)?.tenant).toBe('client-b');
    expect(rolloutSummaryFor(P.platformAdmin, cross, CTX)?.tenant).toBeUndefined();
    expect(rolloutSummaryFor(P.platformAdmin, unknown, CTX)?.tenant).toBeUndefined();
  });
});

describe('a redacted rollout', () => {
  const detail = rolloutDetailFor(P.clientAAdmin, cross, CTX)!;

  it('names only the person’s clusters, counts the rest, and keeps the progress of all', () => {
    expect(Rollout.parse(detail)).toBeTruthy();
    expect(detail.redacted).toBe(true);
    expect(detail.hiddenClusters).toBe(2);
    const production = detail.waves[1]!;
    expect(production.clusters.map((c) => [c.cluster, c.region])).toEqual([['prod-us-east', 'us-east']]);
    expect(production.hiddenClusters).toBe(2);
    expect(production.progress.total).toBe(3);
    expect(detail.progress.total).toBe(4);
    expect(detail.rollback).toMatchObject({ clusters: ['edge-retail-001', 'prod-us-east'], hiddenClusters: 2 });
  });

  it('drops upstream free text and others’ comments, keeps the person’s own', () => {
    expect(detail.message).toBeUndefined();
    expect(detail.conditions).toEqual([{ type: 'Progressing', status: 'False', reason: 'UpdateRunStuck' }]);
    expect(detail.waves[1]!.message).toBeUndefined();
    expect(detail.waves[1]!.gates[0]!.comment).toBeUndefined();
    expect(detail.history.map((h) => h.comment)).toEqual([undefined, 'my own note']);
    expect(detail.errors).toEqual([]);
  });

  it('contains no hidden cluster or other tenant anywhere in its JSON (detail, summary)', () => {
    const texts = [JSON.stringify(detail), JSON.stringify(rolloutSummaryFor(P.clientAAdmin, cross, CTX))];
    for (const text of texts) for (const word of NOT_FOR_CLIENT_A) expect(text).not.toContain(word);
  });

  it('never carries the source-only fields', () => {
    const full = rolloutDetailFor(P.platformAdmin, cross, CTX)!;
    expect(full).not.toHaveProperty('touches');
    expect(full).not.toHaveProperty('object');
    expect(full.message).toContain('prod-asia');
    expect(RolloutSummary.parse(rolloutSummaryFor(P.platformAdmin, cross, CTX))).toBeTruthy();
  });
});

describe('tenantNamespaceMapper', () => {
  it('maps a hub namespace to its tenant by the template, and nothing else', () => {
    const map = tenantNamespaceMapper('fleet-{tenant}');
    expect(map('fleet-client-a')).toBe('client-a');
    expect(map('fleet-')).toBeUndefined();
    expect(map('default')).toBeUndefined();
    expect(tenantNamespaceMapper('{tenant}-rollouts')('client-b-rollouts')).toBe('client-b');
    expect(tenantNamespaceMapper('{tenant}-rollouts')('fleet-client-b')).toBeUndefined();
  });

  it('treats a namespaced run in a namespace of no tenant as nobody’s: only fleet-wide people see it', () => {
    const orphan = makeRollout({ name: 'orphan', namespace: 'kube-system', waves: [{ name: 'a', clusters: ['prod-us-east'] }] });
    expect(rolloutSummaryFor(P.clientAAdmin, orphan, CTX)).toBeUndefined();
    expect(rolloutSummaryFor(P.platformAdmin, orphan, CTX)?.tenant).toBeUndefined();
  });
});

describe('history: one line per action', () => {
  const upstreamApproval = {
    at: '2026-11-24T09:00:00Z',
    actor: 'platform-admin@demo',
    action: 'approve',
    wave: 'production',
    comment: 'go',
    from: 'upstream' as const,
  };
  const withUpstream = makeRollout({
    name: 'web-v4',
    waves: [{ name: 'production', clusters: ['prod-us-east'] }],
    history: [upstreamApproval],
  });
  const replica = (at: string, result: string) => ({
    at,
    actor: 'platform-admin@demo',
    action: 'approve',
    wave: 'production',
    result,
    comment: 'go',
    from: 'audit' as const,
  });

  it('shows an approval the upstream object records once, as upstream', () => {
    const h = rolloutDetailFor(P.platformAdmin, withUpstream, CTX, [replica('2026-11-24T09:00:01Z', 'approved')])!.history;
    expect(h).toHaveLength(1);
    expect(h[0]!.from).toBe('upstream');
  });

  it('keeps refusals, no-ops and actions upstream has no record of', () => {
    const h = rolloutDetailFor(P.platformAdmin, withUpstream, CTX, [
      replica('2026-11-24T09:00:02Z', 'denied'),
      replica('2026-11-24T09:00:03Z', 'no-op: alreadyApproved'),
      replica('2026-11-24T11:00:00Z', 'approved'),
    ])!.history;
    expect(h.map((e) => `${e.from}:${e.result ?? ''}`)).toEqual([
      'upstream:',
      'audit:denied',
      'audit:no-op: alreadyApproved',
      'audit:approved',
    ]);
  });
});

describe('a wave held by Fleetdeck (Fleet gated waves)', () => {
  const held = { clusters: 3, otherBundles: ['client-b-billing', 'client-c-edge'], note: 'A paused cluster holds every bundle on it.' };
  const gated = { ...cross, waves: cross.waves.map((w, i) => (i === 1 ? { ...w, held } : w)) };

  it('names the other held bundles to someone who sees the whole wave', () => {
    const wave = rolloutDetailFor(P.platformAdmin, gated, CTX)!.waves[1]!;
    expect(wave.held).toEqual(held);
  });

  it('keeps the count and the warning but not the other bundles’ names for someone who sees part of the wave', () => {
    const wave = rolloutDetailFor(P.clientAAdmin, gated, CTX)!.waves[1]!;
    expect(wave.held).toEqual({ ...held, otherBundles: [] });
    expect(JSON.stringify(rolloutDetailFor(P.clientAAdmin, gated, CTX))).not.toContain('client-b-billing');
  });
});
