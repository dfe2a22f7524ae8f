import type { Cluster } from '@fleetdeck/shared';

import type { LokiStandin } from '../loki/index.ts';

const LINES = [
  'GET /healthz 200 1ms',
  'GET /api/orders 200 23ms',
  'POST /api/orders 201 41ms',
  'level=warn msg="slow upstream" upstream=payments latency=812ms',
  'level=error msg="connection refused" upstream=inventory',
  'GET /api/catalog 200 12ms',
];

/**
 * An hour of application logs per cluster (one line a minute per pod), labelled as
 * Promtail labels them: cluster, namespace, pod, container.
 */
export function seedLogs(loki: Pick<LokiStandin, 'push'>, clusters: readonly Cluster[], now: Date): number {
  let count = 0;
  for (const c of clusters) {
    const streams = ['web-0', 'web-1', 'worker-0'].map((pod, p) => {
      const values: [string, string][] = [];
      for (let m = 60; m >= 1; m--) {
        const ns = BigInt(now.getTime() - m * 60_000 + p * 1000) * 1_000_000n;
        values.push([ns.toString(), `${LINES[(m + p) % LINES.length]} cluster=${c.name}`]);
      }
      count += values.length;
      return { stream: { cluster: c.name, namespace: `${c.tenant}-apps`, pod, container: pod.split('-')[0]!, tenant: c.tenant }, values };
    });
    // Single-tenant Loki: the stand-in's default org.
    loki.push(undefined, streams);
  }
  return count;
}
