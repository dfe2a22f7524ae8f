import type { Cluster, Violation, ViolationTruncation } from '@fleetdeck/shared';

import { violationId } from '../../violations/violation-id.ts';
import { GATEKEEPER_CHECKS, KYVERNO_CHECKS, TENANT_NAMESPACES, WORKLOADS, type DemoCheck } from './demo-catalog.ts';
import { usesGatekeeper, usesKyverno } from './demo-policies.ts';
import { rnd, suffix } from './demo-random.ts';

/** A finding the demo may hold; `at` is filled when it is placed in time. */
export interface DemoFinding {
  key: string;
  violation: Omit<Violation, 'firstSeenAt' | 'lastSeenAt'>;
}

/** Gatekeeper keeps 20 per constraint; these constraints have many more (the page must say so). */
const OVER_CAP: Record<string, number> = { 'prod-us-east': 143, 'prod-asia': 38 };
const CAP = 20;

function finding(c: Cluster, check: DemoCheck, namespace: string | undefined, workload: string): DemoFinding {
  const name = check.kind === 'Pod' ? `${workload}-${suffix(c.name, namespace ?? '', workload)}` : workload;
  const resource = {
    apiVersion: check.kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind: check.kind,
    ...(namespace && { namespace }),
    name,
  };
  const result = check.action === 'warn' || (check.engine === 'kyverno' && check.severity === 'low') ? 'warn' : 'fail';
  const violation = {
    id: violationId(check.engine, c.name, check.policy, check.rule, resource),
    engine: check.engine,
    cluster: c.name,
    policy: check.policy,
    ...(check.rule && { rule: check.rule }),
    severity: check.severity,
    action: check.action,
    result,
    ...(check.category && { category: check.category }),
    resource,
    message: check.message(workload).slice(0, 256),
  } satisfies DemoFinding['violation'];
  return { key: violation.id, violation };
}

export const checksOf = (c: Cluster): DemoCheck[] => [
  ...(usesGatekeeper(c) ? GATEKEEPER_CHECKS : []),
  ...(usesKyverno(c) ? KYVERNO_CHECKS : []),
];

/**
 * What each cluster always has (it is not fixed during the demo): a mix over namespaces,
 * workloads and checks, denser outside production, plus namespaces missing labels
 * (cluster-scoped) and Gatekeeper constraints over the 20 cap.
 */
export function standingFindings(c: Cluster): { findings: DemoFinding[]; truncations: ViolationTruncation[] } {
  const edge = c.name.startsWith('edge-');
  const p = edge ? 0.02 : c.environment === 'production' ? 0.05 : 0.1;
  const findings: DemoFinding[] = [];
  const namespaces = edge ? ['apps'] : TENANT_NAMESPACES;
  for (const check of checksOf(c))
    for (const short of namespaces)
      for (const w of WORKLOADS)
        if (rnd('standing', c.name, check.policy, short, w) < p) findings.push(finding(c, check, `${c.tenant}-${short}`, w));
  const truncations: ViolationTruncation[] = [];
  if (usesGatekeeper(c) && !edge) {
    const labels = GATEKEEPER_CHECKS.find((k) => k.policy.startsWith('K8sRequiredLabels/'))!;
    const namespaceCheck = { ...labels, kind: 'Namespace' as const, message: () => 'you must provide labels: {"owner"}' };
    if (rnd('ns-labels', c.name) < 0.6) findings.push(finding(c, namespaceCheck, undefined, `${c.tenant}-data`));
    const total = OVER_CAP[c.name];
    if (total) {
      const listed = Array.from({ length: CAP }, (_, i) =>
        finding(c, labels, `${c.tenant}-${TENANT_NAMESPACES[i % TENANT_NAMESPACES.length]}`, `svc-${String(i + 1).padStart(3, '0')}`),
      );
      const others = findings.filter((f) => f.violation.policy !== labels.policy);
      findings.length = 0;
      findings.push(...others, ...listed);
      truncations.push({ cluster: c.name, policy: labels.policy, shown: CAP, total });
    }
  }
  return { findings, truncations };
}

/** Findings that come and go over time: a few per cluster, none of them standing. */
export function transientPool(clusters: readonly Cluster[]): DemoFinding[] {
  const pool: DemoFinding[] = [];
  for (const c of clusters) {
    const checks = checksOf(c);
    if (!checks.length) continue;
    for (let i = 0; i < 3; i++) {
      const check = checks[Math.floor(rnd('transient-check', c.name, i) * checks.length)]!;
      const short = TENANT_NAMESPACES[Math.floor(rnd('transient-ns', c.name, i) * TENANT_NAMESPACES.length)]!;
      pool.push(finding(c, check, `${c.tenant}-${short}`, `canary-${i}`));
    }
  }
  // Interleave clusters, so consecutive changes land on different clusters.
  return pool.sort((a, b) => rnd('order', a.key) - rnd('order', b.key));
}
