import { Rollout, type Cluster } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';

import { demoRolloutSource } from '../../src/sources/demo/demo-rollouts.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { singleApproval } from '../helpers/approval-decision.ts';

const T0 = Date.parse('2026-11-26T00:00:00Z');
const CLUSTERS: Cluster[] = demoClusters(new Date(T0));
const TENANT = new Map(CLUSTERS.map((c) => [c.name, c.tenant]));

/** The model's Rollout without the fields the routes fill per person, plus what a source adds. */
const SourceRolloutSchema = z.strictObject({
  ...z.omit(Rollout, { actions: true, approveWaves: true, redacted: true, hiddenClusters: true, awaitingApproval: true }).shape,
  awaitingApproval: z.optional(z.strictObject({ wave: z.string(), position: z.enum(['before', 'after']) })),
  touches: z.array(z.string()),
});

function demo() {
  let t = T0;
  const source = demoRolloutSource({ clusters: CLUSTERS, now: () => t, tickMs: 0 });
  const at = (s: number) => {
    t = T0 + s * 1000;
    source.refresh();
  };
  const run = (name: string): SourceRollout => {
    const r = source.list().find((x) => x.name === name);
    if (!r) throw new Error(`no run ${name}`);
    return r;
  };
  return { source, at, run, now: () => t };
}

const ACTIVE = ['Progressing', 'AwaitingApproval', 'Waiting', 'Stopped', 'Failed'];

/** Walks a run second by second, checking the wave invariants each step; returns the waves it saw current, in order. */
function walk(d: ReturnType<typeof demo>, name: string, until: number, onStep?: (r: SourceRollout, s: number) => boolean | void) {
  const seen: string[] = [];
  const peaks = new Map<string, number>();
  for (let s = 0; s <= until; s++) {
    d.at(s);
    const r = d.run(name);
    expect(SourceRolloutSchema.safeParse(r).error).toBeUndefined();
    const active = r.waves.filter((w) => ACTIVE.includes(w.state));
    expect(active.length).toBeLessThanOrEqual(1);
    const current = r.waves.findIndex((w) => w.name === r.currentWave);
    for (const w of r.waves) {
      const updating = w.clusters.filter((c) => c.state === 'Updating').length;
      expect(updating).toBe(w.progress.updating);
      expect(updating).toBeLessThanOrEqual(Number(w.maxConcurrency));
      peaks.set(w.name, Math.max(peaks.get(w.name) ?? 0, updating));
      if (current >= 0 && w.index < current) expect(w.state).toBe('Succeeded');
      if (current >= 0 && w.index > current) expect(w.state).toBe('NotStarted');
    }
    if (r.currentWave && seen.at(-1) !== r.currentWave) seen.push(r.currentWave);
    if (onStep?.(r, s) === true) break;
  }
  return { seen, peaks };
}

describe('the demo rollouts', () => {
  it('core-stack goes canary → staging → production by region, counting its waits down', () => {
    const d = demo();
    const countdowns: [string, string, string][] = [];
    const { seen, peaks } = walk(d, 'core-stack', 3600, (r) => {
      for (const w of r.waves) {
        const g = w.gates[0];
        if (g?.state === 'Waiting' && g.kind === 'TimedWait') countdowns.push([w.name, g.waitingSince!, g.elapsesAt!]);
      }
      return r.state === 'Succeeded';
    });
    expect(seen).toEqual(['staging', 'us-east', 'us-west', 'eu', 'asia']);
    // Two at a time where there are enough clusters (the brief's maxConcurrent: 2).
    expect(peaks.get('us-east')).toBe(2);
    const r = d.run('core-stack');
    expect(r).toMatchObject({ state: 'Succeeded', revision: '12', progress: { total: CLUSTERS.length, succeeded: CLUSTERS.length } });
    const waits = new Map(countdowns.map(([w, since, elapses]) => [w, (Date.parse(elapses) - Date.parse(since)) / 1000]));
    expect(Object.fromEntries(waits)).toEqual({ staging: 240, 'us-east': 60, 'us-west': 60, eu: 60 });
    for (const [i, w] of r.waves.entries()) {
      const gate = w.gates[0];
      if (gate?.kind === 'TimedWait') expect(r.waves[i + 1]!.startedAt).toBe(gate.elapsesAt);
    }
    expect(r.policy).toMatchObject({
      maxConcurrent: 2,
      pauseBetweenWavesSeconds: 60,
      failureThreshold: 1,
      successThresholdPodHealthyRatio: 0.95,
    });
    expect(r.policy.sourceFields).toMatchObject({ maxConcurrent: 'demo scenario', successThresholdPodHealthyRatio: 'demo scenario' });
    expect(r).not.toHaveProperty('object');
  });

  it('core-stack starts again with the next revision a minute after it finishes', () => {
    const d = demo();
    let finished: SourceRollout | undefined;
    walk(d, 'core-stack', 3600, (r) => {
      if (r.revision === '12' && r.state === 'Succeeded') finished ??= r;
      return r.revision !== '12';
    });
    expect(finished).toBeDefined();
    const r = d.run('core-stack');
    expect(r).toMatchObject({
      revision: '13',
      state: 'Progressing',
      currentWave: 'canary',
      rollback: { toRevision: '12', fromRevision: '13' },
    });
    expect(r.history).toEqual([]);
    expect(Date.parse(r.createdAt!) - Date.parse(finished!.updatedAt!)).toBe(60_000);
    expect(d.now() - Date.parse(r.createdAt!)).toBeLessThan(1000);
  });

  it('the emergency patch waits before production for an approval that spans tenants, then proceeds', async () => {
    const d = demo();
    walk(d, 'cve-2024-critical', 60);
    const waiting = d.run('cve-2024-critical');
    expect(waiting).toMatchObject({
      state: 'AwaitingApproval',
      currentWave: 'production',
      awaitingApproval: { wave: 'production', position: 'before' },
    });
    expect(waiting.waves.map((w) => [w.name, w.state, w.maxConcurrency])).toEqual([
      ['canary', 'Succeeded', 1],
      ['non-prod', 'Succeeded', 5],
      ['production', 'AwaitingApproval', 2],
    ]);
    const gated = waiting.waves[2]!.clusters.map((c) => TENANT.get(c.cluster));
    expect(new Set(gated).size).toBe(3);
    const ctx = { principal: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] }, requestId: 'r1' };
    await d.source.actions.approve(ctx, waiting, 'production', singleApproval('CVE fix verified on canary'));
    const { seen } = walk(d, 'cve-2024-critical', 200);
    expect(seen).toEqual(['production']);
    expect(d.run('cve-2024-critical')).toMatchObject({ state: 'Succeeded', policy: { maxConcurrent: 3 } });
  });

  it('client-a waits at a gate wholly inside client-a and continues once its admin approves', async () => {
    const d = demo();
    walk(d, 'web-v3', 30);
    const r = d.run('web-v3');
    expect(r).toMatchObject({
      namespace: 'fleet-client-a',
      tenant: 'client-a',
      id: 'demo~fleet-client-a~web-v3',
      state: 'AwaitingApproval',
    });
    const gateWave = r.waves.find((w) => w.name === r.awaitingApproval?.wave)!;
    expect(gateWave.clusters.length).toBeGreaterThan(1);
    expect(new Set(gateWave.clusters.map((c) => TENANT.get(c.cluster)))).toEqual(new Set(['client-a']));
    const ctx = { principal: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] }, requestId: 'r2' };
    expect(await d.source.actions.approve(ctx, r, 'production', singleApproval())).toMatchObject({ outcome: 'done', code: 'approved' });
    walk(d, 'web-v3', 120);
    expect(d.run('web-v3')).toMatchObject({ state: 'Succeeded' });
    expect(d.run('web-v3').waves[2]!.gates[0]).toMatchObject({ state: 'Approved', approvedBy: 'client-a-admin@demo' });
  });

  it('the failing run halts in staging: Failed, later waves NotStarted, a roll back plan', () => {
    const d = demo();
    walk(d, 'web-v3-1', 10);
    const r = d.run('web-v3-1');
    expect(r).toMatchObject({ state: 'Failed', currentWave: 'staging', tenant: 'client-b' });
    expect(r.waves.map((w) => w.state)).toEqual(['Succeeded', 'Failed', 'NotStarted']);
    expect(r.waves[1]!.clusters[0]).toMatchObject({
      state: 'Failed',
      message: 'ImagePullBackOff: registry.example.com/web:v3.1 not found',
    });
    expect(r.rollback).toMatchObject({ toRevision: '30', fromRevision: '31', clusters: ['client-b-dev', 'client-b-staging'] });
  });

  it('every tenant has a run of its own clusters only, and cluster-scoped runs name no tenant unless all are one', () => {
    const d = demo();
    d.at(0);
    const own = new Map<string, string[]>();
    for (const r of d.source.list()) {
      expect(SourceRolloutSchema.safeParse(r).error).toBeUndefined();
      const tenants = new Set(r.touches.map((c) => TENANT.get(c)));
      if (r.tenant) expect(tenants).toEqual(new Set([r.tenant]));
      else expect(tenants.size).toBeGreaterThan(1);
      if (tenants.size === 1) own.set([...tenants][0]!, [...(own.get([...tenants][0]!) ?? []), r.name]);
      expect(r.id).toBe(`demo~${r.namespace ?? ''}~${r.name}`);
    }
    expect([...own.keys()].sort()).toEqual(['client-a', 'client-b', 'client-c']);
    expect(d.run('api-v7')).toMatchObject({ state: 'Stopped', tenant: 'client-c', history: [{ action: 'pause', from: 'upstream' }] });
  });
});
