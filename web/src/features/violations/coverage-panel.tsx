import { BaselinePolicyId, type PolicyCoverage } from '@fleetdeck/shared';

import { COVERAGE, StateText } from './coverage-states.tsx';
import { ENGINE_LABEL } from './labels.ts';

const BASELINE_LABEL: Record<BaselinePolicyId, string> = {
  'deny-privileged': 'No privileged containers',
  'deny-host-network': 'No host network',
  'allowed-registries': 'Allowed registries only',
  'deny-latest-tag': 'No :latest tags',
  'deny-root-user': 'No root user',
  'require-limits': 'Resource limits',
  'require-security-context': 'Security context',
  'require-labels': 'owner/env/app labels',
  'require-network-policy': 'Network policy',
  'require-pdb': 'PodDisruptionBudget',
};

/**
 * The brief's baseline policies per cluster: enforced, audited only, not ready or
 * missing. Zero violations on a cluster that lacks the policy is not good news, so a
 * missing policy is counted as a finding.
 */
export function CoveragePanel({ coverage }: { coverage: readonly PolicyCoverage[] }) {
  const clusters = [...new Set(coverage.map((c) => c.cluster))].sort();
  const byKey = new Map(coverage.map((c) => [`${c.cluster}\u0000${c.baseline}`, c]));
  const missing = coverage.filter((c) => c.state === 'missing').length;
  return (
    <div>
      <p className="mb-2 text-sm" data-testid="coverage-findings">
        {missing === 0
          ? 'Every baseline policy is installed on every cluster shown.'
          : `${missing} missing baseline ${missing === 1 ? 'policy' : 'policies'} (each one a finding).`}
      </p>
      {/* Focusable so the keyboard can scroll it (it holds nothing else to focus). */}
      <div role="region" aria-label="Baseline policies per cluster (scrolls)" tabIndex={0} className="max-h-96 overflow-auto">
        <table className="text-left text-xs">
          <caption className="sr-only">Baseline policies per cluster</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              {BaselinePolicyId.options.map((b) => (
                <th key={b} scope="col" className="px-2 font-medium">
                  {BASELINE_LABEL[b]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="pr-2 font-normal">
                  {cluster}
                </th>
                {BaselinePolicyId.options.map((b) => {
                  const c = byKey.get(`${cluster}\u0000${b}`);
                  return (
                    <td
                      key={b}
                      className="px-2 py-1"
                      title={c?.policy && `${c.engine ? ENGINE_LABEL[c.engine] : ''} ${c.policy}${c.action ? ` (${c.action})` : ''}`.trim()}
                    >
                      {c ? (
                        <StateText look={COVERAGE[c.state]} />
                      ) : (
                        <span className="text-slate-500 dark:text-slate-400">not reported</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
