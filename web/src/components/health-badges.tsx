import type { ClusterHealth } from '@fleetdeck/shared';

const tone = (ok: boolean | undefined) =>
  ok === undefined
    ? 'text-slate-500 dark:text-slate-400'
    : ok
      ? 'text-emerald-700 dark:text-emerald-400'
      : 'text-red-700 dark:text-red-400';

/** API up, nodes ready, pods healthy: text first, colour second; "no data" is said, not hidden. */
export function HealthBadges({ health }: { health: ClusterHealth | undefined }) {
  if (!health || Object.keys(health).length === 0) return <span className="text-xs text-slate-500 dark:text-slate-400">no metrics</span>;
  const nodesOk = health.nodesReady !== undefined && health.nodesTotal !== undefined ? health.nodesReady === health.nodesTotal : undefined;
  const pods = health.podHealthRatio;
  return (
    <span className="flex gap-2 text-xs tabular-nums">
      <span className={tone(health.apiUp)} title="API server reachable (up)">
        API {health.apiUp === undefined ? '?' : health.apiUp ? 'up' : 'down'}
      </span>
      <span className={tone(nodesOk)} title="Nodes Ready / all nodes">
        nodes {health.nodesReady ?? '?'}/{health.nodesTotal ?? '?'}
      </span>
      <span className={tone(pods === undefined ? undefined : pods >= 0.95)} title="Running pods / all pods">
        pods {pods === undefined ? '?' : `${Math.round(pods * 100)}%`}
      </span>
    </span>
  );
}
