import { WaveReadiness, type ApprovalProgress } from '@fleetdeck/shared';

// Readiness answers parsed with the shared schema, so they cannot drift from the API.

const EVALUATED = '2026-11-24T09:58:00Z';

/** The production wave's readiness: Not ready because pod health is low and a violation appeared. */
export function notReady(over: Partial<WaveReadiness> = {}): WaveReadiness {
  return WaveReadiness.parse({
    rolloutId: 'demo~~core-stack-v42',
    wave: 'production',
    verdict: 'NotReady',
    reasons: ['1 of 2 clusters below 95% pods healthy', '1 violation introduced by this wave'],
    checks: [
      {
        id: 'rollout-result',
        title: 'Rollout result',
        kind: 'rolloutResult',
        severity: 'blocking',
        status: 'pass',
        summary: 'Every cluster updated',
        clusters: [],
        hiddenFailing: 0,
        evidence: [],
      },
      {
        id: 'pod-health',
        title: 'Pod health',
        kind: 'podHealth',
        severity: 'blocking',
        status: 'fail',
        summary: '1 of 2 clusters below 95% pods healthy',
        threshold: 0.95,
        clusters: [
          { cluster: 'prod-us-west', status: 'fail', value: 0.812 },
          { cluster: 'prod-us-east', status: 'pass', value: 0.99 },
        ],
        hiddenFailing: 1,
        evidence: [{ kind: 'health', label: 'Health of prod-us-west', href: '/fleet/clusters/prod-us-west?tab=health' }],
      },
      {
        id: 'restarts',
        title: 'Restarts',
        kind: 'restarts',
        severity: 'advisory',
        status: 'fail',
        summary: 'Restarts up 40% since the wave started',
        clusters: [],
        hiddenFailing: 0,
        evidence: [],
      },
      {
        id: 'violations-introduced',
        title: 'Violations introduced',
        kind: 'violationsIntroduced',
        severity: 'blocking',
        status: 'fail',
        summary: '1 violation introduced by this wave',
        clusters: [],
        hiddenFailing: 0,
        evidence: [{ kind: 'violations', label: 'Violations on the wave', href: '/violations?cluster=prod-us-east' }],
      },
    ],
    windowStart: '2026-11-24T09:30:00Z',
    windowEnd: '2026-11-24T09:58:00Z',
    evaluatedAt: EVALUATED,
    failureThreshold: { threshold: 1, failed: 0, reached: false },
    successThreshold: 0.95,
    introducedViolations: {
      total: 3,
      items: [
        {
          id: 'v1',
          cluster: 'prod-us-east',
          namespace: 'web',
          policy: 'require-probes',
          severity: 'high',
          message: 'container web has no readiness probe',
          firstSeenAt: '2026-11-24T09:40:00Z',
        },
      ],
    },
    hiddenClusters: 2,
    digest: 'sha256:abc',
    errors: [],
    ...over,
  });
}

export function ready(over: Partial<WaveReadiness> = {}): WaveReadiness {
  return notReady({
    verdict: 'Ready',
    reasons: [],
    checks: [],
    introducedViolations: { total: 0, items: [] },
    hiddenClusters: 0,
    digest: 'sha256:ready',
    ...over,
  });
}

export const progressOneOfTwo = (user = 'alex@demo'): ApprovalProgress => ({
  required: 2,
  approvals: [
    {
      user,
      at: '2026-11-24T09:50:00Z',
      comment: 'CAB 42',
      groups: ['tenant-client-a-admins'],
      notReadyReason: 'Known flaky probe, tracked in INC-7',
      readiness: { verdict: 'NotReady', reasons: ['1 of 2 clusters below 95% pods healthy'], evaluatedAt: EVALUATED, digest: 'sha256:abc' },
    },
  ],
  groupRequirements: [{ group: 'fleet-platform-admins', required: 1, given: 0 }],
  satisfied: false,
  summary: '1 of 2 approvals; needs one more from fleet-platform-admins',
  mfaRequired: false,
});
