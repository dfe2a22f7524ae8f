import type { Family, MetricsCluster } from './openmetrics.ts';

/** The cluster whose Argo CD has had no successful sync for the last 8 hours of the seeded history. */
export const STALE_SYNC_CLUSTER_INDEX = 2;

type Labels = Record<string, string>;

/**
 * Series named as today's exporters name them, for the health panels: kube-apiserver v1.36's
 * `authentication_attempts{result}` (a counter without `_total`) and Argo CD's
 * `argocd_app_sync_total{phase}`.
 */
export function controlPlaneFamilies(opts: {
  perCluster: readonly { c: MetricsCluster; index: number; rand: () => number }[];
  base: (c: MetricsCluster) => Labels;
  apiserver: (c: MetricsCluster) => Labels;
  endSeconds: number;
}): Family[] {
  const { perCluster, base, apiserver, endSeconds } = opts;
  return [
    {
      name: 'authentication_attempts',
      type: 'unknown',
      help: 'Counter of authenticated attempts (kube-apiserver v1.36, by result).',
      series: perCluster.flatMap(({ c, rand }) => {
        const burstAt = Math.floor(rand() * 1300);
        return (['success', 'failure'] as const).map((result) => {
          let total = 0;
          let last = -1;
          return {
            labels: { ...apiserver(c), result },
            value: (i: number) => {
              if (i !== last) {
                const burst = i >= burstAt && i < burstAt + 5 && c.env === 'production';
                total += result === 'success' ? 40 : burst ? 12 : i % 17 === 0 ? 1 : 0;
                last = i;
              }
              return total;
            },
          };
        });
      }),
    },
    {
      name: 'argocd_app_sync',
      type: 'counter',
      help: 'Argo CD application syncs, by phase.',
      series: perCluster.flatMap(({ c, index }) =>
        ['platform', 'apps'].flatMap((app, k) =>
          (['Succeeded', 'Failed'] as const).map((phase) => {
            let total = 0;
            let last = -1;
            return {
              labels: { ...base(c), name: `${c.name}-${app}`, dest_server: `https://${c.name}.example:6443`, phase },
              value: (i: number, t: number) => {
                if (i !== last) {
                  // A sync every 20 minutes; the stale cluster's have failed for the last 8 hours.
                  const due = (i + k * 7) % 20 === 0;
                  const failing = index === STALE_SYNC_CLUSTER_INDEX && t > endSeconds - 8 * 3600;
                  if (due && (phase === 'Failed') === failing) total += 1;
                  last = i;
                }
                return total;
              },
            };
          }),
        ),
      ),
    },
  ];
}
