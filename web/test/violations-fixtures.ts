import { Violation, ViolationCoverage, ViolationList, ViolationSummary, ViolationTrends } from '@fleetdeck/shared';

// Test data for the violations area, parsed with the shared schemas so it cannot drift from the API.

export function violation(over: Partial<Violation> & { id: string }): Violation {
  return Violation.parse({
    engine: 'gatekeeper',
    cluster: 'prod-us-east',
    policy: 'K8sRequiredLabels/must-have-owner',
    severity: 'high',
    action: 'deny',
    result: 'fail',
    resource: { kind: 'Deployment', namespace: 'client-a-shop', name: 'web' },
    message: 'you must provide labels: {"owner"}',
    firstSeenAt: '2026-11-25T10:00:00Z',
    lastSeenAt: '2026-11-25T12:00:00Z',
    ...over,
  });
}

export const ITEMS = [
  violation({ id: 'v1' }),
  violation({ id: 'v2', resource: { kind: 'Deployment', namespace: 'client-a-api', name: 'api' } }),
  violation({
    id: 'v3',
    engine: 'kyverno',
    cluster: 'stage-eu',
    policy: 'disallow-latest-tag',
    rule: 'validate-image-tag',
    severity: 'medium',
    action: 'audit',
    category: 'Best Practices',
    resource: { kind: 'Pod', namespace: 'client-a-shop', name: 'cart-7d9' },
    message: 'Using a mutable image tag e.g. latest is not allowed.',
  }),
];

export function list(items: Violation[] = ITEMS, over: Partial<ViolationList> = {}): ViolationList {
  return ViolationList.parse({ items, total: items.length, truncations: [], feeds: [], errors: [], ...over });
}

export function summary(over: Partial<ViolationSummary> = {}): ViolationSummary {
  return ViolationSummary.parse({
    total: 15,
    byPolicyCluster: [
      { policy: 'K8sRequiredLabels/must-have-owner', engine: 'gatekeeper', cluster: 'prod-us-east', count: 12 },
      { policy: 'disallow-latest-tag', engine: 'kyverno', cluster: 'stage-eu', count: 3 },
    ],
    bySeverity: [
      { severity: 'high', count: 12 },
      { severity: 'medium', count: 3 },
    ],
    byEngine: [
      { engine: 'gatekeeper', count: 12 },
      { engine: 'kyverno', count: 3 },
    ],
    byTenant: [{ tenant: 'client-a', count: 15 }],
    byNamespace: [
      { cluster: 'stage-eu', namespace: 'client-a-shop', pass: 40, warn: 1, fail: 3, error: 0, skip: 2, violations: 3 },
      { cluster: 'prod-us-east', namespace: 'client-a-shop', pass: 10, warn: 0, fail: 0, error: 0, skip: 0, violations: 11 },
    ],
    truncations: [{ cluster: 'prod-us-east', policy: 'K8sRequiredLabels/must-have-owner', shown: 20, total: 143 }],
    feeds: [
      { cluster: 'prod-us-east', state: 'live' },
      { cluster: 'stage-eu', state: 'stale', lastSyncAt: '2026-11-25T11:00:00Z', reason: 'connection refused' },
      { cluster: 'edge-01', state: 'countsOnly' },
    ],
    errors: [],
    ...over,
  });
}

export function coverage(over: Partial<ViolationCoverage> = {}): ViolationCoverage {
  return ViolationCoverage.parse({
    coverage: [
      {
        cluster: 'prod-us-east',
        baseline: 'deny-privileged',
        state: 'enforced',
        engine: 'gatekeeper',
        policy: 'K8sPSPPrivileged/no-priv',
        action: 'deny',
      },
      { cluster: 'prod-us-east', baseline: 'require-pdb', state: 'missing' },
      {
        cluster: 'stage-eu',
        baseline: 'deny-latest-tag',
        state: 'audited',
        engine: 'kyverno',
        policy: 'disallow-latest-tag',
        action: 'audit',
      },
    ],
    isolation: [
      {
        cluster: 'prod-us-east',
        namespace: 'client-a-shop',
        tenant: 'client-a',
        state: 'isolated',
        findings: [],
        policies: ['tenant-isolation'],
      },
      {
        cluster: 'prod-us-east',
        namespace: 'client-a-api',
        tenant: 'client-a',
        state: 'wider',
        findings: ['ingress from any namespace'],
        policies: ['allow-all-ingress'],
      },
      {
        cluster: 'stage-eu',
        namespace: 'client-a-shop',
        tenant: 'client-a',
        state: 'missing',
        findings: ['no NetworkPolicy selects the namespace'],
        policies: [],
      },
    ],
    feeds: [],
    errors: [],
    ...over,
  });
}

export function trends(over: Partial<ViolationTrends> = {}): ViolationTrends {
  const t0 = 1_764_000_000;
  return ViolationTrends.parse({
    range: '24h',
    step: 300,
    series: [
      {
        label: 'gatekeeper deny',
        source: 'gatekeeper_violations',
        points: [
          [t0, 10],
          [t0 + 300, 12],
        ],
      },
      {
        label: 'kyverno fail medium',
        source: 'policy_report_result',
        points: [
          [t0, 4],
          [t0 + 300, 3],
        ],
      },
    ],
    warnings: [],
    errors: [],
    ...over,
  });
}
