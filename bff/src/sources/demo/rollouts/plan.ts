import type { Cluster, RolloutPolicy } from '@fleetdeck/shared';

/** A label selector as Kubernetes writes one: every `matchLabels` entry and every expression must hold. */
export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly { key: string; operator: 'In' | 'NotIn'; values: readonly string[] }[];
}

export type AfterGateSpec = { kind: 'TimedWait'; seconds: number } | { kind: 'Approval' };

export interface WaveSpec {
  name: string;
  /** A cluster joins the first wave whose selector it matches, so each is in exactly one wave (as in a staged update strategy). */
  selector: LabelSelector;
  maxConcurrency: number;
  before?: { kind: 'Approval' };
  after?: AfterGateSpec;
}

/** One demo rollout, as data: which clusters, which waves, how it behaves. */
export interface ScenarioSpec {
  name: string;
  /** Namespaced runs live in their tenant's hub namespace (`fleet-<tenant>`) and never reach outside that tenant. */
  namespace?: string;
  tenant?: string;
  target: string;
  selector: LabelSelector;
  waves: readonly WaveSpec[];
  revision: number;
  /** When it started, relative to the demo's start (negative: it was already under way). */
  startOffsetSeconds: number;
  /** Clusters whose update fails, and the message they report. */
  failures?: readonly { selector: LabelSelector; message: string }[];
  /** Starts again with the next revision this long after it finishes (or is aborted), so the page never goes still. */
  restartAfterSeconds?: number;
  policy: Omit<RolloutPolicy, 'sourceFields'>;
  /** Actions taken before the demo started (e.g. someone paused it), relative to the demo's start. */
  seeded?: readonly { kind: 'pause'; offsetSeconds: number; actor: string; reason?: string }[];
}

export interface PlannedCluster {
  name: string;
  seconds: number;
  failure?: string;
}

export interface PlannedWave {
  name: string;
  maxConcurrency: number;
  before?: { kind: 'Approval' };
  after?: AfterGateSpec;
  clusters: PlannedCluster[];
}

/** A scenario resolved against the fleet at one start time and revision: what the simulation runs. */
export interface RunPlan {
  name: string;
  namespace?: string;
  tenant?: string;
  target: string;
  revision: number;
  /** The revision a roll back returns to; absent for a run that is itself a roll back. */
  previousRevision?: number;
  startMs: number;
  waves: PlannedWave[];
  policy: RolloutPolicy;
}

export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = labels[e.key];
    const inValues = value !== undefined && e.values.includes(value);
    if (e.operator === 'In' ? !inValues : inValues) return false;
  }
  return true;
}

/** FNV-1a: a stable spread of update durations, so the same inputs always give the same run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Between 5 and 15 seconds per cluster update. */
export function updateSeconds(run: string, revision: number, cluster: string): number {
  return 5 + (hash(`${run}/${revision}/${cluster}`) % 11);
}

const SOURCE_FIELD = 'demo scenario';

interface Placement {
  waves: { name: string; failure?: string }[][];
  tenants: Set<string>;
}

const placements = new WeakMap<readonly Cluster[], WeakMap<ScenarioSpec, Placement>>();

/** Which wave each cluster of the run is in; the same for every cycle of a scenario over one fleet, so kept. */
function place(spec: ScenarioSpec, clusters: readonly Cluster[]): Placement {
  const known = placements.get(clusters)?.get(spec);
  if (known) return known;
  const inRun = clusters
    // A tenant's namespaced run can reach only that tenant's clusters, whatever its selector says.
    .filter((c) => (spec.tenant === undefined || c.tenant === spec.tenant) && matchesSelector(spec.selector, c.labels))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const placement: Placement = { waves: spec.waves.map(() => []), tenants: new Set() };
  for (const c of inRun) {
    const wave = spec.waves.findIndex((w) => matchesSelector(w.selector, c.labels));
    if (wave < 0) continue;
    placement.tenants.add(c.tenant);
    const failure = spec.failures?.find((f) => matchesSelector(f.selector, c.labels))?.message;
    placement.waves[wave]!.push({ name: c.name, ...(failure && { failure }) });
  }
  const bySpec = placements.get(clusters) ?? new WeakMap<ScenarioSpec, Placement>();
  bySpec.set(spec, placement);
  placements.set(clusters, bySpec);
  return placement;
}

export function planRun(spec: ScenarioSpec, clusters: readonly Cluster[], startMs: number, revision: number): RunPlan {
  const { waves: placed, tenants } = place(spec, clusters);
  const waves: PlannedWave[] = spec.waves.map((w, i) => ({
    name: w.name,
    maxConcurrency: w.maxConcurrency,
    ...(w.before && { before: w.before }),
    ...(w.after && { after: w.after }),
    clusters: placed[i]!.map((c) => ({ ...c, seconds: updateSeconds(spec.name, revision, c.name) })),
  }));
  // A cluster-scoped run names a tenant only when every cluster it touches is that tenant's.
  const tenant = spec.tenant ?? (tenants.size === 1 ? [...tenants][0] : undefined);
  const sourceFields = Object.fromEntries(
    Object.entries(spec.policy)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => [k, SOURCE_FIELD]),
  );
  return {
    name: spec.name,
    ...(spec.namespace && { namespace: spec.namespace }),
    ...(tenant && { tenant }),
    target: spec.target,
    revision,
    previousRevision: revision - 1,
    startMs,
    waves,
    policy: { ...spec.policy, sourceFields },
  };
}

/**
 * A roll back: the same waves and concurrency over only the clusters the run touched,
 * to the revision it replaced. It does not stop at gates: it is the way back, not a release.
 */
export function planRollback(parent: RunPlan, name: string, touched: ReadonlySet<string>, startMs: number): RunPlan {
  const revision = parent.previousRevision ?? parent.revision;
  return {
    name,
    ...(parent.namespace && { namespace: parent.namespace }),
    ...(parent.tenant && { tenant: parent.tenant }),
    target: parent.target,
    revision,
    startMs,
    waves: parent.waves
      .map((w) => ({
        name: w.name,
        maxConcurrency: w.maxConcurrency,
        clusters: w.clusters
          .filter((c) => touched.has(c.name))
          .map((c) => ({ name: c.name, seconds: updateSeconds(name, revision, c.name) })),
      }))
      .filter((w) => w.clusters.length > 0),
    policy: parent.policy,
  };
}
