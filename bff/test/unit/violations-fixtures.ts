import { DEMO_USERS, type Scope, type Violation } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import type { ViolationSnapshot, ViolationSource } from '../../src/sources/violations/violation-source.ts';

/** Three clusters of two tenants: client-a's prod and dev, client-b's prod. */
export const CLUSTERS = [
  { name: 'a-prod', tenant: 'client-a', environment: 'production' },
  { name: 'a-dev', tenant: 'client-a', environment: 'dev' },
  { name: 'b-prod', tenant: 'client-b', environment: 'production' },
] as const;

export const scopeOf = (user: (typeof DEMO_USERS)[number]['user']): Scope =>
  resolveScope({ user, groups: [...DEMO_USERS.find((u) => u.user === user)!.groups] }, DEFAULT_ACCESS_POLICY);

export const PLATFORM = scopeOf('platform-admin@demo');
export const A_ADMIN = scopeOf('client-a-admin@demo');
export const A_DEV = scopeOf('client-a-dev@demo');
export const B_VIEWER = scopeOf('client-b-viewer@demo');

let n = 0;
export function violation(partial: Partial<Violation> & Pick<Violation, 'cluster'>, namespace?: string): Violation {
  n++;
  return {
    id: `v${String(n).padStart(5, '0')}`,
    engine: 'kyverno',
    policy: 'require-labels',
    severity: 'medium',
    action: 'audit',
    result: 'fail',
    resource: { kind: 'Deployment', ...(namespace !== undefined && { namespace }), name: `app-${n}` },
    message: 'label owner is required',
    lastSeenAt: new Date(Date.UTC(2026, 0, 1, 0, n % 60)).toISOString(),
    ...partial,
  };
}

/**
 * A snapshot with, per cluster: a namespaced Kyverno fail in the tenant's own namespace,
 * one in another namespace (`kube-system`), a cluster-scoped Gatekeeper result with a
 * truncated constraint, Kyverno counts for both namespaces, coverage and isolation rows.
 */
export function snapshot(version = 1): ViolationSnapshot {
  const violations: Violation[] = [];
  for (const c of CLUSTERS) {
    violations.push(violation({ cluster: c.name, severity: 'high' }, `${c.tenant}-web`));
    violations.push(violation({ cluster: c.name, severity: 'low', policy: 'deny-latest-tag' }, 'kube-system'));
    violations.push(
      violation({
        cluster: c.name,
        engine: 'gatekeeper',
        policy: 'K8sRequiredLabels/ns-must-have-owner',
        severity: 'unknown',
        action: 'deny',
        resource: { kind: 'Namespace', name: `secret-ns-of-${c.tenant}` },
      }),
    );
  }
  return {
    version,
    violations,
    truncations: CLUSTERS.map((c) => ({ cluster: c.name, policy: 'K8sRequiredLabels/ns-must-have-owner', shown: 20, total: 143 })),
    namespaceCounts: CLUSTERS.flatMap((c) => [
      { cluster: c.name, namespace: `${c.tenant}-web`, pass: 5, warn: 0, fail: 1, error: 0, skip: 1 },
      { cluster: c.name, namespace: 'kube-system', pass: 9, warn: 2, fail: 1, error: 0, skip: 0 },
    ]),
    coverage: CLUSTERS.map((c) => ({ cluster: c.name, baseline: 'deny-privileged', state: 'missing' })),
    isolation: CLUSTERS.flatMap((c) => [
      { cluster: c.name, namespace: `${c.tenant}-web`, tenant: c.tenant, state: 'isolated', findings: [], policies: ['tenant-isolation'] },
      { cluster: c.name, namespace: 'kube-system', state: 'missing', findings: ['no NetworkPolicy'], policies: [] },
    ]),
    feeds: CLUSTERS.map((c) => ({ cluster: c.name, state: 'live' })),
    errors: [{ source: 'spoke', cluster: 'b-prod', reason: 'b-prod: constraints list answered 500' }],
  };
}

/** A ViolationSource over a fixed, replaceable snapshot. */
export class FixedSource implements ViolationSource {
  snap: ViolationSnapshot;
  readonly #listeners = new Set<(clusters: readonly string[]) => void>();
  constructor(snap: ViolationSnapshot) {
    this.snap = snap;
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  snapshot(): ViolationSnapshot {
    return this.snap;
  }
  onChange(listener: (clusters: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  replace(snap: ViolationSnapshot, changed: readonly string[]): void {
    this.snap = snap;
    for (const l of this.#listeners) l(changed);
  }
}
