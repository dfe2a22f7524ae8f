import type { DeliverySummary } from '@fleetdeck/shared';

/** The git job (Fleet) or the sync operation (Argo CD): what the engine is doing about it right now. */
export function JobState({ delivery: d }: { delivery: DeliverySummary }) {
  if (d.fleet) {
    return (
      <span title={d.fleet.gitJobMessage} className={d.fleet.gitJob === 'Failed' ? 'text-red-800 dark:text-red-300' : undefined}>
        git job {d.fleet.gitJob}
      </span>
    );
  }
  if (d.argocd) {
    if (d.argocd.syncPending) return <span className="text-sky-800 dark:text-sky-300">sync asked</span>;
    const op = d.argocd.operation;
    if (!op) return <span className="text-slate-600 dark:text-slate-400">no sync yet</span>;
    const failed = op.phase === 'Failed' || op.phase === 'Error';
    return (
      <span title={op.message} className={failed ? 'text-red-800 dark:text-red-300' : undefined}>
        sync {op.phase}
      </span>
    );
  }
  return <span>—</span>;
}
