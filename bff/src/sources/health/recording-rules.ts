import type { BUILTIN_HEALTH_PANEL_IDS } from '@fleetdeck/shared';

import { CLUSTER_LABEL, type PromAccess } from '../../access/promql/index.ts';
import { PART_LABEL, mergedBandQuery } from './fleet-queries.ts';
import { builtinPanelDefs, lastSuccessExpr } from './panel-defs.ts';
import type { HealthConfig } from './panel-config.ts';

type BuiltinHealthPanelId = (typeof BUILTIN_HEALTH_PANEL_IDS)[number];

/**
 * The Prometheus rule group operators load (deploy/prometheus/fleetdeck-recording-rules.yaml):
 * where every cluster's series are visible (a central Prometheus, a Thanos Ruler), as it holds
 * the fleet bands too.
 */
export const RULE_GROUP = 'fleetdeck-health';
/** How often the rules are evaluated: the scrape interval of most fleets. */
export const RULE_INTERVAL = '1m';

/**
 * Recorded series per built-in panel: `level:metric:operations`, Prometheus' naming convention.
 * "Since last successful sync" records when that was, not the age (an age is stale the moment
 * it is written): the panel subtracts it from `time()`, one sample per step instead of a
 * subquery over a day of samples at every step.
 */
export function recordedNames(c: HealthConfig): Record<BuiltinHealthPanelId, string> {
  const rate = `rate${c.rateWindow}`;
  return {
    apiAvailability: 'cluster:fleetdeck_api_availability:ratio',
    nodesReady: 'cluster:fleetdeck_nodes_ready:ratio',
    podHealthRatio: 'cluster:fleetdeck_pod_health:ratio',
    gitopsSync: 'cluster:fleetdeck_gitops_synced:ratio',
    lastSync: 'cluster:fleetdeck_last_successful_sync:timestamp',
    violations: 'cluster:fleetdeck_policy_violations:sum',
    failedAuth: `cluster:fleetdeck_failed_authentication:${rate}`,
    cpu: `cluster:fleetdeck_cpu_cores:${rate}`,
    memory: 'cluster:fleetdeck_memory_working_set:bytes',
  };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

/** One rule per built-in panel: its per-cluster expression, unscoped (rules see the whole store). */
export function recordingRules(c: HealthConfig): RecordingRule[] {
  const names = recordedNames(c);
  return builtinPanelDefs(c).map((d) => {
    const id = d.id as BuiltinHealthPanelId;
    return { record: names[id], expr: id === 'lastSync' ? lastSuccessExpr(c) : d.query };
  });
}

/** Panels whose recorded series is a timestamp the panel subtracts from `time()` (an age). */
const AGE_PANELS: ReadonlySet<string> = new Set(['lastSync']);

/** Per built-in panel, the recorded name of its fleet band: `fleet:` and the per-cluster name's metric, `_band` appended. */
export function fleetBandNames(c: HealthConfig): Record<BuiltinHealthPanelId, string> {
  const names = recordedNames(c);
  return Object.fromEntries(Object.entries(names).map(([id, name]) => [id, `fleet:${name.slice('cluster:'.length)}_band`])) as Record<
    BuiltinHealthPanelId,
    string
  >;
}

/**
 * One rule per built-in panel: the band's five figures over every cluster's recorded series,
 * each row labelled `fleetdeck_part`. Series without a `cluster` label are left out, as the
 * enforcer's cluster matcher leaves them out of everyone's view. For an age panel the figures
 * are mirrored (fleet-queries.ts), so the reader gets exact ages at any step.
 */
export function fleetBandRules(c: HealthConfig): RecordingRule[] {
  const names = recordedNames(c);
  const bands = fleetBandNames(c);
  return builtinPanelDefs(c).map((d) => {
    const id = d.id as BuiltinHealthPanelId;
    return { record: bands[id], expr: mergedBandQuery(`${names[id]}{${CLUSTER_LABEL}!=""}`, { mirrored: AGE_PANELS.has(id) }) };
  });
}

/**
 * How a panel's fleet band is read: `series`, the per-cluster recorded series it aggregates
 * (whose clusters decide who may read it: recorded-fleet-band.ts), and `query`, the fixed text
 * that reads its five rows (an age panel's figures subtracted from `time()`, its count kept).
 */
export interface FleetBandRecord {
  series: string;
  query: string;
}

export function fleetBandRecords(c: HealthConfig): Map<string, FleetBandRecord> {
  const names = recordedNames(c);
  const bands = fleetBandNames(c);
  const out = new Map<string, FleetBandRecord>();
  for (const id of Object.keys(names) as BuiltinHealthPanelId[]) {
    const band = bands[id];
    const query = AGE_PANELS.has(id) ? `(time() - ${band}{${PART_LABEL}!="n"}) or ${band}{${PART_LABEL}="n"}` : band;
    out.set(id, { series: names[id], query });
  }
  return out;
}

/** The panel queries that read the recorded series instead of evaluating the expressions. */
export function recordedQueries(c: HealthConfig): Map<string, string> {
  const names = recordedNames(c);
  const out = new Map<string, string>();
  for (const [id, name] of Object.entries(names)) {
    out.set(id, id === 'lastSync' ? `time() - ${name}` : name);
  }
  return out;
}

/** The rules file, as Prometheus' `rule_files` and `promtool tsdb create-blocks-from rules` read it. */
export function recordingRulesFile(
  c: HealthConfig,
  interval: string = RULE_INTERVAL,
): { groups: { name: string; interval: string; rules: RecordingRule[] }[] } {
  // One group, the fleet bands after the per-cluster rules they read: Prometheus evaluates a group's rules in
  // order at one timestamp, so each band is exactly the figures of the per-cluster values recorded with it (in
  // two groups, each evaluated at its own offset, a band could lag them by an interval). promtool backfills
  // the band rules in a second pass (testbed/src/prom/start.ts).
  return { groups: [{ name: RULE_GROUP, interval, rules: [...recordingRules(c), ...fleetBandRules(c)] }] };
}

/** The definitions' help, saying which recorded series a panel reads when the rules are on. */
export function withRecordedHelp<D extends { id: string; help: string }>(defs: readonly D[], c: HealthConfig): D[] {
  if (!c.recordingRules) return [...defs];
  const names: Record<string, string> = recordedNames(c);
  return defs.map((d) =>
    Object.hasOwn(names, d.id) ? { ...d, help: `${d.help} Read from the recorded series ${names[d.id]} (health.recordingRules).` } : d,
  );
}

/**
 * What a panel runs under `access`: its recorded series where the person sees every namespace
 * of their clusters (recorded series carry no namespace, so a namespace-limited access would
 * match none of them and show an empty panel); else its expression.
 */
export function panelQuery(def: { id: string; query: string }, access: PromAccess, recorded: ReadonlyMap<string, string>): string {
  const query = recorded.get(def.id);
  return query !== undefined && access.groups.every((g) => g.namespaces === '*') ? query : def.query;
}
