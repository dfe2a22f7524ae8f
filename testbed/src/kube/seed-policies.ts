import type { Cluster } from '@fleetdeck/shared';

import { registerResource, type KubeObject } from './client.ts';
import { GATEKEEPER_CONSTRAINT_KINDS, OVER_CAP_CONSTRAINT_KIND } from './crds.ts';

/** Seed entries as seed.ts applies them (the object, then its status). */
interface SeedObject {
  object: KubeObject;
  status?: unknown;
}

registerResource('NetworkPolicy', 'networkpolicies', true);

/** The spoke whose policy seeds go beyond the basics (over-cap constraint, several reports, isolation cases). */
export const POLICY_SPOKE = 'prod-eu-west';
/** Gatekeeper lists at most 20 violations per constraint; this one has 143. */
export const OVER_CAP = { total: 143, listed: 20 } as const;
/** The Kyverno ClusterPolicies every spoke has (require-pdb, among others, is missing: a coverage finding). */
export const KYVERNO_POLICIES = [
  ['require-requests-limits', 'validate-resources', 'Audit'],
  ['disallow-latest-tag', 'validate-image-tag', 'Enforce'],
  ['require-labels', 'check-for-labels', 'Audit'],
  ['require-run-as-nonroot', 'run-as-non-root', 'Audit'],
  ['disallow-host-namespaces', 'host-namespaces', 'Enforce'],
] as const;

const policyNs = (t: string) => [`${t}-apps`, `${t}-jobs`, `${t}-web`] as const;

/** The brief's tenant-isolation NetworkPolicy, with the testbed's tenant label (`client`). */
export function tenantIsolation(namespace: string, tenant: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'tenant-isolation', namespace },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { client: tenant } } }] },
        { from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        { from: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
      egress: [
        { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] },
        { to: [{ namespaceSelector: { matchLabels: { client: tenant } } }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    },
  };
}

const report = (kind: 'PolicyReport' | 'Report', name: string, namespace: string, results: unknown[], summary: Record<string, number>) => ({
  object: {
    apiVersion: kind === 'Report' ? 'openreports.io/v1alpha1' : 'wgpolicyk8s.io/v1alpha2',
    kind,
    metadata: { name, namespace },
    summary,
    results,
  } as KubeObject,
});

const result = (policy: string, rule: string, res: string, severity: string, kind: string, name: string, namespace?: string) => ({
  policy,
  rule,
  result: res,
  severity,
  category: 'Best Practices',
  message: `${policy}: ${kind} ${name} failed ${rule}`,
  source: 'kyverno',
  timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
  resources: [{ apiVersion: 'v1', kind, name, ...(namespace && { namespace }) }],
});

/**
 * Every spoke: ConstraintTemplates for its constraint kinds and the Kyverno baseline
 * ClusterPolicies (coverage). prod-eu-west also: a constraint over the 20 cap, reports in
 * several namespaces (wgpolicyk8s.io, a ClusterPolicyReport, an openreports.io Report),
 * and three tenant namespaces: one isolated by the brief's policy, one without, one with
 * a too-wide policy beside it. client-a-staging keeps only the basics other tests count.
 */
export function spokePolicySeed(cluster: Cluster): SeedObject[] {
  const t = cluster.tenant;
  const templates = [...GATEKEEPER_CONSTRAINT_KINDS, OVER_CAP_CONSTRAINT_KIND].map((kind) => ({
    object: {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: kind.toLowerCase() },
      spec: { crd: { spec: { names: { kind } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: 'package x' }] },
    },
    status: { created: true },
  }));
  const kyverno = KYVERNO_POLICIES.map(([name, rule, action]) => ({
    object: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name },
      spec: { validationFailureAction: action, background: true, rules: [{ name: rule, match: {}, validate: { message: name } }] },
    },
    status: {
      ready: true,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: '', lastTransitionTime: new Date().toISOString() }],
    },
  }));
  if (cluster.name !== POLICY_SPOKE) return [...templates, ...kyverno];
  const [apps, jobs, web] = policyNs(t);
  const now = new Date().toISOString();
  return [
    ...templates,
    ...kyverno,
    { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: web, labels: { client: t } } } },
    {
      object: {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: OVER_CAP_CONSTRAINT_KIND,
        metadata: { name: 'psp-privileged-container', annotations: { 'policy.fleetdeck.dev/severity': 'critical' } },
        spec: { enforcementAction: 'deny', match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } },
      },
      status: {
        auditTimestamp: now,
        totalViolations: OVER_CAP.total,
        violations: Array.from({ length: OVER_CAP.listed }, (_, i) => ({
          enforcementAction: 'deny',
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: [apps, jobs, web][i % 3],
          name: `privileged-${String(i).padStart(3, '0')}`,
          message: `Privileged container is not allowed: app, securityContext: {"privileged": true}`,
        })),
      },
    },
    report('PolicyReport', 'polr-jobs', jobs, [result('require-run-as-nonroot', 'run-as-non-root', 'fail', 'high', 'Pod', 'batch-0')], {
      pass: 3,
      fail: 1,
      warn: 0,
      error: 0,
      skip: 1,
    }),
    report('Report', 'openreport-web', web, [result('disallow-latest-tag', 'validate-image-tag', 'fail', 'medium', 'Pod', 'frontend-0')], {
      pass: 5,
      fail: 1,
      warn: 0,
      error: 0,
      skip: 0,
    }),
    {
      object: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'ClusterPolicyReport',
        metadata: { name: 'cpolr-namespaces' },
        results: [result('require-labels', 'check-for-labels', 'warn', 'low', 'Namespace', 'platform-system')],
      },
    },
    { object: tenantIsolation(apps, t) },
    { object: tenantIsolation(web, t) },
    {
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-from-all-namespaces', namespace: web },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] },
      },
    },
  ];
}
