import type { FleetPlacement } from '@fleetdeck/shared';

import { ClusterChips } from './cluster-chips.tsx';
import { SelectorLink } from './selector-link.tsx';

/**
 * The brief's WHAT × WHERE for a Fleet GitRepo: each `targets[]` rule with the clusters it
 * allows (in our selector syntax, opening the Fleet page filtered by it), then each
 * `targetCustomizations` entry with its options and the clusters it applied to (first match).
 */
export function WhatGoesWhere({ placement }: { placement: FleetPlacement }) {
  return (
    <section aria-labelledby="what-goes-where" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="what-goes-where" className="font-semibold">
        What goes where
      </h2>
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">Customizations only change options; they never add clusters.</p>
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Targets (which clusters get it)</h3>
          {placement.targets.length === 0 ? (
            <p className="text-sm">No target rule: Fleet deploys it nowhere.</p>
          ) : (
            <ol className="space-y-2" aria-label="Target rules">
              {placement.targets.map((t, i) => (
                <li key={`${t.name ?? ''}|${t.selector}|${i}`} className="space-y-1 text-sm" data-testid="target-rule">
                  <p>
                    {t.name && <span className="font-medium">{t.name}: </span>}
                    <SelectorLink selector={t.selector} />{' '}
                    <span className="text-slate-600 dark:text-slate-400">
                      — {t.clusters.length} {t.clusters.length === 1 ? 'cluster' : 'clusters'}
                    </span>
                  </p>
                  {t.approximate && <Approximate />}
                  <ClusterChips clusters={t.clusters} label={`Clusters matching ${t.selector || 'every cluster'}`} />
                </li>
              ))}
            </ol>
          )}
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">Customizations (first match per cluster)</h3>
          {placement.customizations.length === 0 ? (
            <p className="text-sm">None: every cluster gets the same options.</p>
          ) : (
            <ol className="space-y-2" aria-label="Customizations">
              {placement.customizations.map((c) => (
                <li key={c.name} className="space-y-1 text-sm" data-testid="customization" data-name={c.name}>
                  <p>
                    <span className="font-medium">{c.name}</span>{' '}
                    <span className="text-xs">
                      <SelectorLink selector={c.selector} />
                    </span>
                  </p>
                  {c.doNotDeploy ? (
                    <p className="text-amber-900 dark:text-amber-200">Not deployed on these clusters (doNotDeploy).</p>
                  ) : c.options.length > 0 ? (
                    <ul aria-label={`Options of ${c.name}`} className="font-mono text-xs">
                      {c.options.map((o) => (
                        <li key={o}>{o}</li>
                      ))}
                    </ul>
                  ) : (
                    <p className="text-xs text-slate-600 dark:text-slate-400">No options.</p>
                  )}
                  {c.approximate && <Approximate />}
                  <ClusterChips clusters={c.clusters} label={`Clusters ${c.name} applied to`} />
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}

/** Our selector syntax cannot say this rule exactly (an OR of cluster groups): the link shows more; the clusters listed are exact. */
function Approximate() {
  return <p className="text-xs text-slate-600 dark:text-slate-400">The selector shows a superset; the clusters below are exact.</p>;
}
