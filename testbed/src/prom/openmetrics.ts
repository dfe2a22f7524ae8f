/**
 * 24 hours of fleet metrics at one-minute resolution, as OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`: the series the health panels query,
 * each with a `cluster` label (as Thanos' external label gives them), with a daily
 * rhythm and deterministic noise so charts look real and tests are repeatable.
 */
export interface MetricsCluster {
  name: string;
  tenant: string;
  env: string;
  nodes: number;
}

export interface GenerateOptions {
  clusters: readonly MetricsCluster[];
  end: Date;
  hours?: number;
  stepSeconds?: number;
}

/** The cluster whose API server has a short outage in the seeded history. */
export const OUTAGE_CLUSTER_INDEX = 1;
/** Metric names the generator writes (counters without their `_total` suffix). */
export const SEEDED_METRICS = [
  'up',
  'kube_node_status_condition',
  'kube_pod_status_phase',
  'container_cpu_usage_seconds',
  'machine_cpu_cores',
  'container_memory_working_set_bytes',
  'machine_memory_bytes',
  'gatekeeper_violations',
  'apiserver_authentication_failures',
  'argocd_app_info',
  'authentication_attempts',
  'argocd_app_sync',
] as const;
export { STALE_SYNC_CLUSTER_INDEX } from './control-plane-families.ts';

import { controlPlaneFamilies } from './control-plane-families.ts';

function seeded(name: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  let a = h >>> 0;
  // mulberry32: tiny, fast, good enough for plausible noise.
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',')}}`;

export interface Series {
  labels: Record<string, string>;
  /** Value at minute i of the window (0 = oldest). */
  value: (i: number, t: number) => number;
}

export interface Family {
  name: string;
  /** `unknown`: a counter its exporter names without `_total` (kube-apiserver's `authentication_attempts`). */
  type: 'gauge' | 'counter' | 'unknown';
  help: string;
  series: Series[];
}

function families(clusters: readonly MetricsCluster[], startSeconds: number, stepSeconds: number, endSeconds: number): Family[] {
  const daily = (t: number) => 0.5 + 0.5 * Math.sin(((t % 86_400) / 86_400) * 2 * Math.PI - Math.PI / 2);
  const perCluster = clusters.map((c, index) => ({ c, index, rand: seeded(c.name) }));
  const base = (c: MetricsCluster) => ({ cluster: c.name, tenant: c.tenant, env: c.env });
  // cAdvisor's labels of a container (the health panels leave out container="", the pod and root cgroups).
  const workload = (c: MetricsCluster) => ({ ...base(c), namespace: `${c.tenant}-apps`, pod: `${c.tenant}-web-0`, container: 'web' });
  const apiserver = (c: MetricsCluster) => ({ ...base(c), job: 'kubernetes-apiservers', instance: `${c.name}-apiserver:6443` });
  const outageStart = startSeconds + 6 * 3600;
  return [
    {
      name: 'up',
      type: 'gauge',
      help: 'API server scrape health.',
      series: perCluster.map(({ c, index }) => ({
        labels: { ...base(c), job: 'kubernetes-apiservers', instance: `${c.name}-apiserver:6443` },
        value: (_i, t) => (index === OUTAGE_CLUSTER_INDEX && t >= outageStart && t < outageStart + 12 * 60 ? 0 : 1),
      })),
    },
    {
      name: 'kube_node_status_condition',
      type: 'gauge',
      help: 'Node conditions (kube-state-metrics).',
      series: perCluster.flatMap(({ c, rand }) => {
        // One node of the larger clusters flaps NotReady for a while each day.
        const flapNode = c.nodes > 3 ? Math.floor(rand() * c.nodes) : -1;
        return Array.from({ length: c.nodes }, (_, n) =>
          (['true', 'false'] as const).map((status) => ({
            labels: { ...base(c), node: `${c.name}-node-${n}`, condition: 'Ready', status },
            value: (i: number) => {
              const ready = !(n === flapNode && i % 1440 >= 600 && i % 1440 < 640);
              return (status === 'true') === ready ? 1 : 0;
            },
          })),
        ).flat();
      }),
    },
    {
      name: 'kube_pod_status_phase',
      type: 'gauge',
      help: 'Pods by phase (kube-state-metrics), per namespace.',
      series: perCluster.flatMap(({ c, rand }) => {
        const pods = 8 * c.nodes + Math.floor(rand() * 10);
        return (['Running', 'Pending', 'Failed'] as const).map((phase) => ({
          labels: { ...base(c), namespace: `${c.tenant}-apps`, phase },
          value: (i: number, t: number) => {
            const wobble = Math.round(daily(t) * 2 + ((i * 7 + c.name.length) % 3 === 0 ? 1 : 0));
            if (phase === 'Running') return Math.max(0, pods - wobble);
            if (phase === 'Pending') return wobble;
            return c.env === 'dev' && i % 97 < 10 ? 1 : 0;
          },
        }));
      }),
    },
    {
      name: 'container_cpu_usage_seconds',
      type: 'counter',
      help: 'Cumulative CPU time used by containers (cAdvisor), in the tenant apps namespace.',
      series: perCluster.map(({ c, rand }) => {
        const cores = c.nodes * 4;
        const level = 0.2 + rand() * 0.3;
        let total = 1e6 * rand();
        let last = -1;
        return {
          labels: workload(c),
          value: (i: number, t: number) => {
            // Counters only grow: add this minute's usage once per step.
            if (i !== last) {
              total += cores * (level + 0.3 * daily(t)) * stepSeconds;
              last = i;
            }
            return Math.round(total * 1000) / 1000;
          },
        };
      }),
    },
    {
      name: 'machine_cpu_cores',
      type: 'gauge',
      help: 'CPU cores.',
      series: perCluster.map(({ c }) => ({ labels: base(c), value: () => c.nodes * 4 })),
    },
    {
      name: 'container_memory_working_set_bytes',
      type: 'gauge',
      help: 'Working-set memory of containers.',
      series: perCluster.map(({ c, rand }) => {
        const level = 0.35 + rand() * 0.25;
        return { labels: workload(c), value: (_i: number, t: number) => Math.round(c.nodes * 16 * 2 ** 30 * (level + 0.15 * daily(t))) };
      }),
    },
    {
      name: 'machine_memory_bytes',
      type: 'gauge',
      help: 'Memory.',
      series: perCluster.map(({ c }) => ({ labels: base(c), value: () => c.nodes * 16 * 2 ** 30 })),
    },
    {
      name: 'gatekeeper_violations',
      type: 'gauge',
      help: 'Gatekeeper audit violations by enforcement action (its only label).',
      series: perCluster.flatMap(({ c, index }) =>
        ['deny', 'dryrun', 'warn'].map((action, k) => ({
          labels: { ...base(c), enforcement_action: action },
          value: (i: number) => ((index + k) % 4) + (i > 1200 && k === 2 ? 1 : 0),
        })),
      ),
    },
    {
      name: 'apiserver_authentication_failures',
      type: 'counter',
      help: 'Legacy name (no current kube-apiserver emits it); kept for the PromQL corpus, not used by the panels.',
      series: perCluster.map(({ c, rand }) => {
        let total = 0;
        let last = -1;
        const burstAt = Math.floor(rand() * 1300);
        return {
          labels: base(c),
          value: (i: number) => {
            if (i !== last) {
              total += i >= burstAt && i < burstAt + 5 && c.env === 'production' ? 12 : i % 17 === 0 ? 1 : 0;
              last = i;
            }
            return total;
          },
        };
      }),
    },
    {
      name: 'argocd_app_info',
      type: 'gauge',
      help: 'Argo CD applications by sync and health status.',
      series: perCluster.flatMap(({ c, index }) =>
        ['platform', 'apps'].map((app, k) => ({
          labels: {
            ...base(c),
            name: `${c.name}-${app}`,
            sync_status: (index + k) % 7 === 3 ? 'OutOfSync' : 'Synced',
            health_status: 'Healthy',
          },
          value: () => 1,
        })),
      ),
    },
    ...controlPlaneFamilies({ perCluster, base, apiserver, endSeconds }),
  ];
}

/**
 * The seeded window's series: point `i` is at `start + i * step`, the window holds points
 * 0 … points − 1. Counters keep their running total in the series, so values must be asked
 * for in order of `i`; asking past the window continues the same history (the live feed).
 */
export function seededSeries(options: GenerateOptions): { start: number; step: number; points: number; families: Family[] } {
  const step = options.stepSeconds ?? 60;
  const hours = options.hours ?? 24;
  const end = Math.floor(options.end.getTime() / 1000 / step) * step;
  const points = Math.floor((hours * 3600) / step);
  const start = end - (points - 1) * step;
  return { start, step, points, families: families(options.clusters, start, step, end) };
}

/** Yields the OpenMetrics text in chunks, so 50+ MB never sits in one string. */
export function* generateOpenMetrics(options: GenerateOptions): Generator<string> {
  const { start, step, points, families: all } = seededSeries(options);
  for (const family of all) {
    yield `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`;
    const sample = family.type === 'counter' ? `${family.name}_total` : family.name;
    for (const series of family.series) {
      const prefix = `${sample}${labelText(series.labels)} `;
      const lines: string[] = [];
      for (let i = 0; i < points; i++) {
        const t = start + i * step;
        lines.push(`${prefix}${series.value(i, t)} ${t}`);
      }
      yield `${lines.join('\n')}\n`;
    }
  }
  yield '# EOF\n';
}
