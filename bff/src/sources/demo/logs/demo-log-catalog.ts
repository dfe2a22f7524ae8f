import type { Cluster } from '@fleetdeck/shared';

import { unhealthyClusters } from '../health/demo-series.ts';
import { suffix } from '../violations/demo-random.ts';
import { seedOf, unit } from './demo-log-hash.ts';

/**
 * Which log streams a demo cluster has: its tenant's namespaces (edge stores run `apps`
 * only) and `kube-system`, the workloads in each, their pods (two replicas in
 * production), and one stream per level — labelled as a Promtail/Alloy pipeline labels
 * them: cluster, namespace, pod, container, app, level. Each stream writes one line per
 * slot of its own period; errors are rare except where the demo shows trouble.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'logfmt' | 'nginx' | 'redis' | 'coredns';
/** Trouble the lines tell of: a rollout failing in staging, a store cut off from the hub, an unhealthy cluster. */
export type Trouble = 'rollout-failed' | 'hub-unreachable' | 'unhealthy' | undefined;

export interface DemoLogStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly seed: number;
  /** One line per slot of this many ms. */
  readonly periodMs: number;
  /** Slots start this many ms after the epoch's slot boundary (streams do not tick together). */
  readonly phaseMs: number;
  readonly format: LogFormat;
  readonly level: LogLevel;
  readonly trouble: Trouble;
  readonly cluster: string;
  readonly namespace: string;
  readonly workload: string;
}

const WORKLOADS: Record<string, readonly string[]> = {
  apps: ['api', 'worker'],
  web: ['web', 'cache'],
  jobs: ['reports'],
  data: ['ingest'],
};
const FORMATS: Record<string, LogFormat> = {
  api: 'json',
  ingest: 'json',
  worker: 'logfmt',
  reports: 'logfmt',
  web: 'nginx',
  cache: 'redis',
  coredns: 'coredns',
};
/** A stream of this level writes a line every [min, max) ms (chosen per stream). */
const PERIODS: Record<LogLevel, [number, number]> = {
  debug: [30_000, 90_000],
  info: [20_000, 60_000],
  warn: [180_000, 600_000],
  error: [600_000, 1_800_000],
};
/** Where the demo shows trouble, that level is this much busier. */
const TROUBLE_PERIODS: Partial<Record<LogLevel, [number, number]>> = { warn: [40_000, 90_000], error: [25_000, 60_000] };

export interface Fleet {
  /** The clusters with trouble of their own (see Trouble). */
  trouble: ReadonlyMap<string, Trouble>;
}

/** What kind of trouble each cluster is in, from the same facts the other demo sources use. */
export function fleetTrouble(clusters: readonly Cluster[]): Fleet {
  const trouble = new Map<string, Trouble>();
  for (const name of unhealthyClusters(clusters)) trouble.set(name, 'unhealthy');
  for (const c of clusters) {
    if (c.name.startsWith('edge-') && c.state !== 'Ready') trouble.set(c.name, 'hub-unreachable');
    // The web-v3-1 rollout fails in client-b's staging (ImagePullBackOff); its logs say so.
    if (c.tenant === 'client-b' && c.environment === 'staging') trouble.set(c.name, 'rollout-failed');
  }
  return { trouble };
}

/** Synthetic scale-test clusters are named `<tenant>-<env>-00042`. */
const SYNTHETIC = /-\d{5}$/;

/**
 * Edge stores run `apps` only; synthetic scale-test clusters (thousands of them) carry
 * one namespace of two workloads, so a fleet-wide query stays cheap.
 */
export function namespacesOf(c: Cluster): string[] {
  if (SYNTHETIC.test(c.name)) return [`${c.tenant}-apps`];
  const edge = c.name.startsWith('edge-');
  return [...(edge ? ['apps'] : Object.keys(WORKLOADS)).map((short) => `${c.tenant}-${short}`), 'kube-system'];
}

/** The streams of one namespace of a cluster. */
export function streamsOf(c: Cluster, namespace: string, fleet: Fleet): DemoLogStream[] {
  const edge = c.name.startsWith('edge-') || SYNTHETIC.test(c.name);
  const short = namespace === 'kube-system' ? 'kube-system' : namespace.slice(c.tenant.length + 1);
  const workloads = short === 'kube-system' ? ['coredns'] : edge ? ['api', 'worker'] : (WORKLOADS[short] ?? []);
  const replicas = c.environment === 'production' && !edge ? 2 : 1;
  const levels: LogLevel[] = c.environment === 'production' || edge ? ['info', 'warn', 'error'] : ['debug', 'info', 'warn', 'error'];
  const trouble = fleet.trouble.get(c.name);
  const out: DemoLogStream[] = [];
  for (const workload of workloads)
    for (let r = 0; r < replicas; r++) {
      // A ReplicaSet's pod name: template hash, then the pod's own suffix.
      const pod = `${workload}-${suffix(c.name, namespace, workload)}-${suffix(c.name, namespace, workload, r)}`;
      for (const level of levels) {
        const labels = { cluster: c.name, namespace, pod, container: workload, app: workload, level };
        const seed = seedOf(`${c.name}/${namespace}/${pod}/${level}`);
        // The applications tell of trouble (JSON and logfmt workloads); web servers, caches and DNS carry on.
        const format = FORMATS[workload]!;
        const troubled = trouble !== undefined && (format === 'json' || format === 'logfmt') && TROUBLE_PERIODS[level] !== undefined;
        const [min, max] = (troubled ? TROUBLE_PERIODS[level] : undefined) ?? PERIODS[level];
        const periodMs = Math.round(min + unit(seed, 0, 1) * (max - min));
        out.push({
          labels,
          seed,
          periodMs,
          phaseMs: Math.floor(unit(seed, 0, 2) * periodMs),
          format,
          level,
          trouble: troubled ? trouble : undefined,
          cluster: c.name,
          namespace,
          workload,
        });
      }
    }
  return out;
}
