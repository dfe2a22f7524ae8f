import { describe, expect, it } from 'vitest';

import { checksFor, DEFAULT_CHECKS, extrasFor } from '../../src/promotion/readiness/checks.ts';
import { readinessDigest } from '../../src/promotion/readiness/digest.ts';
import { evaluateReadiness } from '../../src/promotion/readiness/evaluate.ts';
import { introducedViolations } from '../../src/promotion/readiness/introduced-violations.ts';
import { subjectWave, waveStart } from '../../src/promotion/readiness/subject.ts';
import type { ViolationSnapshot } from '../../src/sources/violations/violation-source.ts';
import { ExtraReadinessCheck } from '../../src/promotion/promotion-config.ts';
import { START, healthyFigures, input, violation, wave } from './readiness-fixtures.ts';

const extra = (id: string, stages: string, rollouts: string) =>
  ExtraReadinessCheck.parse({ id, title: id, query: 'sum by (cluster) (up)', op: '>=', threshold: 1, stages, rollouts });

describe('readiness checks as data', () => {
  it('filters configured checks by stage and rollout globs', () => {
    const checks = [
      extra('all', '*', '*'),
      extra('prod', 'prod*', '*'),
      extra('web-canary', 'canary', 'web-*'),
      extra('one-char', 'eu?', '*'),
    ];
    const ids = (rollout: string, wave: string) => extrasFor({ checks }, rollout, wave).map((c) => c.id);
    expect(ids('web-v3', 'canary')).toEqual(['all', 'web-canary']);
    expect(ids('api-v7', 'canary')).toEqual(['all']);
    expect(ids('api-v7', 'production')).toEqual(['all', 'prod']);
    expect(ids('api-v7', 'eu1')).toEqual(['all', 'one-char']);
    expect(ids('api-v7', 'eu12')).toEqual(['all']);
  });

  it('matches a pathological glob in linear time', () => {
    const glob = `${'*a'.repeat(60)}b`;
    const checks = [extra('slow', glob.slice(0, 253), '*')];
    const t = performance.now();
    for (let i = 0; i < 200; i++) extrasFor({ checks }, 'r', 'a'.repeat(250));
    expect(performance.now() - t).toBeLessThan(500);
  });

  it('puts the defaults first and never lets an extra shadow a default id', () => {
    const specs = checksFor([extra('pod-health', '*', '*'), extra('latency', '*', '*')]);
    expect(specs.map((s) => s.id)).toEqual([...DEFAULT_CHECKS.map((c) => c.id), 'latency']);
    expect(specs.at(-1)).toMatchObject({ kind: 'promql', severity: 'blocking', op: '>=', threshold: 1 });
  });
});

describe('readiness digest', () => {
  it('is stable for the same picture and changes with the verdict, a reason or a status', () => {
    const checks = [{ id: 'pod-health', status: 'fail' as const }];
    const d = readinessDigest('NotReady', ['x'], checks);
    expect(d).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(readinessDigest('NotReady', ['x'], [{ ...checks[0]! }])).toBe(d);
    expect(readinessDigest('Ready', ['x'], checks)).not.toBe(d);
    expect(readinessDigest('NotReady', ['y'], checks)).not.toBe(d);
    expect(readinessDigest('NotReady', ['x'], [{ id: 'pod-health', status: 'pass' }])).not.toBe(d);
  });

  it('does not move with the measured values or the evaluation time', () => {
    const w = wave({ a: 'Succeeded' });
    const one = evaluateReadiness(input(w));
    const f = healthyFigures(['a']);
    const two = evaluateReadiness(input(w, { now: new Date(), figures: { ...f, podHealth: { values: new Map([['a', 0.97]]) } } }));
    expect(two.digest).toBe(one.digest);
  });
});

describe('violations introduced by a wave', () => {
  const snapshot = (violations: ReturnType<typeof violation>[], extra: Partial<ViolationSnapshot> = {}): ViolationSnapshot => ({
    version: 1,
    violations,
    truncations: [],
    namespaceCounts: [],
    coverage: [],
    isolation: [],
    feeds: [],
    errors: [],
    ...extra,
  });

  it('keeps only violations on the wave’s clusters first seen at or after the wave started', () => {
    const s = snapshot([
      violation('a', '2026-11-20T10:05:00Z', 'new'),
      violation('a', '2026-11-20T09:00:00Z', 'old'),
      violation('a', undefined, 'ageless'),
      violation('z', '2026-11-20T10:05:00Z', 'other-cluster'),
    ]);
    const found = introducedViolations(s, ['a', 'b'], START);
    expect([...found.byCluster.entries()].map(([c, l]) => [c, l.map((v) => v.id)])).toEqual([['a', ['new']]]);
    expect(introducedViolations(s, ['a'], undefined).byCluster.size).toBe(0);
  });

  it('does not blame the wave for what was there when this process first read the cluster', () => {
    const firstRead = Date.parse('2026-11-20T10:05:00Z');
    const s = snapshot([violation('a', '2026-11-20T10:05:00Z', 'at-first-read'), violation('a', '2026-11-20T10:06:00Z', 'later')]);
    const found = introducedViolations(s, ['a'], START, () => firstRead);
    expect(found.byCluster.get('a')!.map((v) => v.id)).toEqual(['later']);
  });

  it('uses byCluster when the source keeps it, and reports counts-only and unknown clusters', () => {
    const rows = [violation('a', '2026-11-20T10:05:00Z', 'x')];
    const s = snapshot([], {
      byCluster: new Map([['a', rows]]),
      feeds: [
        { cluster: 'b', state: 'countsOnly' },
        { cluster: 'c', state: 'unconfigured' },
        { cluster: 'z', state: 'countsOnly' },
      ],
      errors: [{ source: 'spoke', cluster: 'd', reason: 'down' }],
    });
    const found = introducedViolations(s, ['a', 'b', 'c', 'd'], START);
    expect(found.byCluster.get('a')!.map((v) => v.id)).toEqual(['x']);
    expect(found.countsOnly).toEqual(['b']);
    expect([...found.unknown].sort()).toEqual(['c', 'd']);
  });
});

describe('the wave readiness is about', () => {
  const rollout = {
    waves: [
      { ...wave({ a: 'Succeeded' }, 'canary') },
      { ...wave({ b: 'Pending' }, 'production'), startedAt: undefined, clusters: [{ cluster: 'b', state: 'Pending' as const }] },
    ],
  };

  it('is the wave itself once started, else the one before it', () => {
    expect(subjectWave(rollout, 'canary')!.name).toBe('canary');
    expect(subjectWave(rollout, 'production')!.name).toBe('canary');
    expect(subjectWave(rollout, 'nope')).toBeUndefined();
  });

  it('starts at the source’s time, else at the earliest cluster start', () => {
    expect(waveStart(rollout.waves[0]!)).toEqual(START);
    const w = {
      ...wave({ a: 'Succeeded' }),
      startedAt: undefined,
      clusters: [
        { cluster: 'a', state: 'Succeeded' as const, startedAt: '2026-11-20T10:07:00Z' },
        { cluster: 'b', state: 'Succeeded' as const, startedAt: '2026-11-20T10:03:00Z' },
      ],
    };
    expect(waveStart(w)).toEqual(new Date('2026-11-20T10:03:00Z'));
    expect(waveStart(rollout.waves[1]!)).toBeUndefined();
  });
});
