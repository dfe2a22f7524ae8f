import type { BUILTIN_HEALTH_PANEL_IDS } from '@fleetdeck/shared';

import type { PromAccess } from '../../access/promql/index.ts';
import { builtinPanelDefs, lastSuccessExpr } from './panel-defs.ts';
import type { HealthConfig } from './panel-config.ts';

type BuiltinHealthPanelId = (typeof BUILTIN_HEALTH_PANEL_IDS)[number];

/** The Prometheus rule group operators load (deploy/prometheus/fleetdeck-recording-rules.yaml). */
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
  return { groups: [{ name: RULE_GROUP, interval, rules: recordingRules(c) }] };
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
