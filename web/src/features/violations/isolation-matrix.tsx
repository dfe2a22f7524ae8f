import type { NamespaceIsolation } from '@fleetdeck/shared';

import { ISOLATION, StateText } from './coverage-states.tsx';

/**
 * Clusters × tenant namespaces: is each namespace isolated at least as strictly as the
 * brief's tenant-isolation policy, wider (what is wider, in words) or missing one.
 */
export function IsolationMatrix({ isolation }: { isolation: readonly NamespaceIsolation[] }) {
  const clusters = [...new Set(isolation.map((i) => i.cluster))].sort();
  const namespaces = [...new Set(isolation.map((i) => i.namespace))].sort();
  const byKey = new Map(isolation.map((i) => [`${i.cluster}\u0000${i.namespace}`, i]));
  const open = isolation.filter((i) => i.state !== 'isolated').length;
  return (
    <div>
      <p className="mb-2 text-sm" data-testid="isolation-findings">
        {open === 0
          ? 'Every tenant namespace shown is isolated.'
          : `${open} tenant ${open === 1 ? 'namespace is' : 'namespaces are'} not isolated.`}
      </p>
      {/* Focusable so the keyboard can scroll it (it holds nothing else to focus). */}
      <div role="region" aria-label="Tenant isolation per cluster and namespace (scrolls)" tabIndex={0} className="max-h-96 overflow-auto">
        <table className="text-left text-xs">
          <caption className="sr-only">Tenant isolation per cluster and namespace</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              {namespaces.map((ns) => (
                <th key={ns} scope="col" className="px-2 font-mono font-medium">
                  {ns}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster} className="border-t border-slate-100 align-top dark:border-slate-800">
                <th scope="row" className="pr-2 font-normal">
                  {cluster}
                </th>
                {namespaces.map((ns) => {
                  const cell = byKey.get(`${cluster}\u0000${ns}`);
                  return (
                    <td key={ns} className="px-2 py-1" data-testid={`isolation-${cluster}-${ns}`}>
                      {cell ? (
                        <>
                          <StateText look={ISOLATION[cell.state]} />
                          {cell.findings.length > 0 && (
                            <ul className="mt-0.5 list-disc pl-4 text-slate-700 dark:text-slate-300">
                              {cell.findings.map((f) => (
                                <li key={f}>{f}</li>
                              ))}
                            </ul>
                          )}
                        </>
                      ) : (
                        <span className="text-slate-500 dark:text-slate-400">
                          <span aria-hidden>—</span>
                          <span className="sr-only">not on this cluster</span>
                        </span>
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
