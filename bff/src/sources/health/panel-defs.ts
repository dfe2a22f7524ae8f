import type { HealthPanelDef } from '@fleetdeck/shared';

import { enforcePromQL, promAccess } from '../../access/promql/index.ts';
import { promString } from './cluster-panels.ts';
import type { HealthConfig } from './panel-config.ts';

/** `name="value"` with the value as a PromQL string literal. */
const eq = (name: string, value: string) => `${name}=${promString(value)}`;

function def(d: Omit<HealthPanelDef, 'help'>, what: string): HealthPanelDef {
  return { ...d, help: `${what} PromQL: ${d.query} — from ${d.source}.` };
}

/** Per cluster, the evaluation time when some application synced successfully in the last resolution step; else nothing. */
function syncSuccessExpr(c: HealthConfig): string {
  const res = c.lastSyncResolution;
  return `timestamp(sum by (cluster) (increase(argocd_app_sync_total{${eq(c.labels.syncPhase, 'Succeeded')}}[${res}])) > 0)`;
}

/** Per cluster, when an application last synced successfully within the lookback (to within the resolution). */
export function lastSuccessExpr(c: HealthConfig): string {
  return `max_over_time((${syncSuccessExpr(c)})[${c.lastSyncLookback}:${c.lastSyncResolution}])`;
}

/**
 * The brief's nine fleet-health panels, as data, on what current exporters really emit:
 * kube-apiserver v1.36 (`authentication_attempts{result}`; no `apiserver_authentication_failures`),
 * kube-state-metrics, Argo CD (`argocd_app_info{sync_status}`, `argocd_app_sync_total{phase}`),
 * Gatekeeper (`gatekeeper_violations{enforcement_action}`, no `constraint` label) and cAdvisor.
 * Every query answers one series per cluster (`by (cluster)`); the enforcer limits it to the
 * caller's clusters and, for namespace-limited people, namespaces before it runs.
 */
export function builtinPanelDefs(c: HealthConfig): HealthPanelDef[] {
  const l = c.labels;
  const job = eq('job', c.jobs.apiserver);
  const ready = `kube_node_status_condition{${eq(l.condition, 'Ready')},${eq(l.status, 'true')}}`;
  const apps = 'argocd_app_info';
  const res = c.lastSyncResolution;
  return [
    def(
      {
        id: 'apiAvailability',
        title: 'API availability',
        unit: 'ratio',
        source: `Prometheus' scrape of the kube-apiservers (job ${c.jobs.apiserver})`,
        query: `avg by (cluster) (up{${job}})`,
        worse: 'lower',
        audience: 'anyViewer',
      },
      'Share of the API server instances that answered their last scrape (1: all up).',
    ),
    def(
      {
        id: 'nodesReady',
        title: 'Nodes ready',
        unit: 'ratio',
        source: 'kube-state-metrics',
        query: `sum by (cluster) (${ready}) / count by (cluster) (${ready})`,
        worse: 'lower',
        audience: 'wholeCluster',
      },
      'Share of nodes whose Ready condition is true.',
    ),
    def(
      {
        id: 'podHealthRatio',
        title: 'Pod health',
        unit: 'ratio',
        source: 'kube-state-metrics',
        // `> 0`: a cluster without pods has no ratio (not NaN, which would sort below every value in a quantile).
        query: `sum by (cluster) (kube_pod_status_phase{${l.phase}=~"Running|Succeeded"}) / (sum by (cluster) (kube_pod_status_phase) > 0)`,
        worse: 'lower',
        audience: 'namespaces',
      },
      'Share of pods Running or Succeeded (for a namespace-limited person: in their namespaces).',
    ),
    def(
      {
        id: 'gitopsSync',
        title: 'GitOps synced',
        unit: 'ratio',
        source: 'Argo CD application controller',
        query:
          `(count by (cluster) (${apps}{${eq(l.syncStatus, 'Synced')}}) / count by (cluster) (${apps})) ` +
          `or (0 * count by (cluster) (${apps}))`,
        worse: 'lower',
        audience: 'wholeCluster',
      },
      'Share of Argo CD applications in sync with Git.',
    ),
    def(
      {
        id: 'lastSync',
        title: 'Since last successful sync',
        unit: 'secondsSince',
        source: 'Argo CD application controller',
        query: `time() - ${lastSuccessExpr(c)}`,
        worse: 'higher',
        audience: 'wholeCluster',
      },
      `Time since any application last synced successfully, to within ${res}; no value: none in the last ${c.lastSyncLookback}.`,
    ),
    def(
      {
        id: 'violations',
        title: 'Policy violations',
        unit: 'count',
        source: 'Gatekeeper audit (label enforcement_action)',
        query: 'sum by (cluster) (gatekeeper_violations)',
        worse: 'higher',
        audience: 'wholeCluster',
      },
      'Violations found by the last Gatekeeper audit, all enforcement actions.',
    ),
    def(
      {
        id: 'failedAuth',
        title: 'Failed authentication',
        unit: 'perSecond',
        source: `kube-apiserver (job ${c.jobs.apiserver})`,
        // `error`: credentials an authenticator rejected (a bad token); `failure`: none recognised them.
        query: `sum by (cluster) (rate(authentication_attempts{${job},${l.authResult}!="success"}[${c.rateWindow}]))`,
        worse: 'higher',
        audience: 'wholeCluster',
      },
      'Requests the API servers could not authenticate (results failure and error), per second.',
    ),
    def(
      {
        id: 'cpu',
        title: 'CPU',
        unit: 'cores',
        source: 'cAdvisor (kubelet)',
        query: `sum by (cluster) (rate(container_cpu_usage_seconds_total{${l.container}!=""}[${c.rateWindow}]))`,
        worse: 'higher',
        audience: 'namespaces',
      },
      'CPU cores used by containers (for a namespace-limited person: in their namespaces).',
    ),
    def(
      {
        id: 'memory',
        title: 'Memory',
        unit: 'bytes',
        source: 'cAdvisor (kubelet)',
        query: `sum by (cluster) (container_memory_working_set_bytes{${l.container}!=""})`,
        worse: 'higher',
        audience: 'namespaces',
      },
      'Working-set memory of containers (for a namespace-limited person: in their namespaces).',
    ),
  ];
}

/** A query the enforcer cannot limit is a configuration error, found at start rather than on a page. */
const PROBE_ACCESS = promAccess([{ clusters: ['probe'], namespaces: '*' }]);

/** The nine and the configured extra panels; throws on a duplicate id or a query that cannot be enforced. */
export function healthPanelDefs(c: HealthConfig): HealthPanelDef[] {
  const defs = [...builtinPanelDefs(c), ...c.extraPanels.map((p) => ({ ...p, help: p.help || `PromQL: ${p.query} — from ${p.source}.` }))];
  const seen = new Set<string>();
  for (const d of defs) {
    if (seen.has(d.id)) throw new Error(`health panel "${d.id}" is defined twice`);
    seen.add(d.id);
    const enforced = enforcePromQL(d.query, PROBE_ACCESS);
    if ('error' in enforced) throw new Error(`health panel "${d.id}": ${enforced.error}`);
  }
  return defs;
}
