import { describe, expect, it } from 'vitest';

import { Violation } from '@fleetdeck/shared';

import { mapConstraint } from '../../src/sources/violations/map-gatekeeper.ts';

const constraint = (over: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({
  apiVersion: 'constraints.gatekeeper.sh/v1beta1',
  kind: 'K8sRequiredLabels',
  metadata: { name: 'must-have-owner', labels: { severity: 'High' } },
  spec: { enforcementAction: 'warn' },
  status: {
    auditTimestamp: '2026-11-26T00:00:00Z',
    totalViolations: 2,
    violations: [
      {
        enforcementAction: 'warn',
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'a-apps',
        name: 'web',
        message: 'you must provide labels',
      },
      { kind: 'Namespace', name: 'a-data', message: 'x'.repeat(256) },
    ],
    ...status,
  },
  ...over,
});

describe('mapConstraint (Gatekeeper)', () => {
  it('maps every listed violation with policy Kind/name, severity from the label, action and audit time', () => {
    const m = mapConstraint(constraint(), 'c1');
    expect(m.dropped).toEqual([]);
    expect(m.truncation).toBeUndefined();
    expect(m.violations).toHaveLength(2);
    for (const v of m.violations) Violation.parse(v);
    const [web, ns] = m.violations;
    expect(web).toMatchObject({
      engine: 'gatekeeper',
      cluster: 'c1',
      policy: 'K8sRequiredLabels/must-have-owner',
      severity: 'high',
      action: 'warn',
      result: 'warn',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'a-apps', name: 'web' },
      lastSeenAt: '2026-11-26T00:00:00.000Z',
    });
    // No per-violation action: the constraint's own; a cluster-scoped resource has no namespace.
    expect(ns).toMatchObject({ action: 'warn', resource: { kind: 'Namespace', name: 'a-data' } });
    expect(ns!.resource).not.toHaveProperty('namespace');
    expect(m.constraint).toEqual({
      kind: 'K8sRequiredLabels',
      name: 'must-have-owner',
      action: 'warn',
      auditAt: '2026-11-26T00:00:00.000Z',
    });
  });

  it('reports a truncated list as "shown of total" (Gatekeeper keeps the first 20)', () => {
    const violations = Array.from({ length: 20 }, (_, i) => ({ kind: 'Pod', namespace: 'ns', name: `p${i}`, message: 'm' }));
    const m = mapConstraint(constraint({}, { totalViolations: 143, violations }), 'c1');
    expect(m.violations).toHaveLength(20);
    expect(m.truncation).toEqual({ cluster: 'c1', policy: 'K8sRequiredLabels/must-have-owner', shown: 20, total: 143 });
  });

  it('defaults to deny without spec.enforcementAction, reads an annotation severity, and unknown actions stay unknown', () => {
    const m = mapConstraint(
      constraint(
        { spec: {}, metadata: { name: 'x', annotations: { 'policy.fleetdeck.dev/severity': 'critical' } } },
        {
          violations: [
            { kind: 'Pod', name: 'a', namespace: 'n' },
            { kind: 'Pod', name: 'b', namespace: 'n', enforcementAction: 'scoped' },
          ],
        },
      ),
      'c1',
    );
    expect(m.violations.map((v) => [v.action, v.result, v.severity, v.message])).toEqual([
      ['deny', 'fail', 'critical', ''],
      ['unknown', 'fail', 'critical', ''],
    ]);
    expect(mapConstraint(constraint({ metadata: { name: 'y' } }), 'c1').violations[0]!.severity).toBe('unknown');
  });

  it('drops malformed entries with a reason and never throws', () => {
    const m = mapConstraint(
      constraint(
        {},
        { totalViolations: 'lots', violations: [null, 'x', { kind: 'Pod' }, { name: 'n' }, { kind: 'Pod', name: 'ok', namespace: 'n' }] },
      ),
      'c1',
    );
    expect(m.violations.map((v) => v.resource.name)).toEqual(['ok']);
    expect(m.dropped).toHaveLength(5);
    expect(m.dropped.join('\n')).toMatch(/not an object[\s\S]*names no resource kind or name[\s\S]*totalViolations is not a count/);
    expect(mapConstraint({ kind: 'K8sX' }, 'c1')).toEqual({ violations: [], dropped: ['a constraint without kind or name'] });
    expect(mapConstraint({ kind: 'K8sX', metadata: { name: 'n' }, status: 'garbage' }, 'c1').violations).toEqual([]);
  });

  it('gives stable ids that differ by cluster, policy and resource', () => {
    const a = mapConstraint(constraint(), 'c1').violations.map((v) => v.id);
    expect(mapConstraint(constraint(), 'c1').violations.map((v) => v.id)).toEqual(a);
    expect(a[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set([...a, ...mapConstraint(constraint(), 'c2').violations.map((v) => v.id)]).size).toBe(4);
  });
});
