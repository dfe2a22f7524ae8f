import { BaselinePolicyId, type PolicyCoverage } from '@fleetdeck/shared';

import { BASELINE_TABLE } from './baseline-table.ts';
import type { ConstraintInfo } from './map-gatekeeper.ts';
import type { KyvernoPolicyInfo, TemplateInfo } from './policy-objects.ts';

export interface ClusterPolicies {
  cluster: string;
  constraints: readonly ConstraintInfo[];
  templates: readonly TemplateInfo[];
  kyverno: readonly KyvernoPolicyInfo[];
}

const RANK: Record<PolicyCoverage['state'], number> = { enforced: 3, audited: 2, notReady: 1, missing: 0 };
const lower = (s: string) => s.toLowerCase();

/**
 * Per baseline policy of the brief: is it installed on this cluster, by which engine, and
 * does it deny or only audit? A constraint acts only when its template has made its CRD
 * (a template that says `created: false` makes it notReady); a Kyverno policy that says
 * it is not Ready is notReady. The strongest covering policy wins; none is `missing`.
 */
export function computeCoverage(input: ClusterPolicies): PolicyCoverage[] {
  const templateCreated = new Map(input.templates.map((t) => [lower(t.kind), t.created]));
  return BaselinePolicyId.options.map((baseline) => {
    const row = BASELINE_TABLE.find((r) => r.baseline === baseline)!;
    const kinds = new Set(row.gatekeeperKinds.map(lower));
    const names = new Set(row.kyvernoNames);
    const candidates: PolicyCoverage[] = [];
    for (const c of input.constraints) {
      if (!kinds.has(lower(c.kind))) continue;
      const notReady = templateCreated.get(lower(c.kind)) === false;
      // dryrun and warn let the resource in: they only report.
      const state = notReady ? 'notReady' : c.action === 'deny' ? 'enforced' : c.action === 'unknown' ? 'notReady' : 'audited';
      candidates.push({ cluster: input.cluster, baseline, state, engine: 'gatekeeper', policy: `${c.kind}/${c.name}`, action: c.action });
    }
    for (const p of input.kyverno) {
      // A namespaced Policy guards one namespace, not the cluster: it covers no baseline.
      if (p.namespace) continue;
      if (!names.has(p.name) && !p.rules.some((r) => names.has(r))) continue;
      const state = p.ready === false ? 'notReady' : p.action === 'deny' ? 'enforced' : 'audited';
      candidates.push({ cluster: input.cluster, baseline, state, engine: 'kyverno', policy: p.name, action: p.action });
    }
    candidates.sort((a, b) => RANK[b.state] - RANK[a.state] || (a.policy ?? '').localeCompare(b.policy ?? ''));
    return candidates[0] ?? { cluster: input.cluster, baseline, state: 'missing' };
  });
}
