import type { HealthPanel, HealthRange } from '@fleetdeck/shared';

type PanelId = HealthPanel['id'];

/** A PromQL string literal: the cluster name is data, never query text. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** RE2 (PromQL's regex dialect, linear-time) for "any of these namespace globs". */
export function namespaceRegex(globs: readonly string[]): string {
  const one = (g: string) =>
    g
      .replace(/[\\.+^$()|[\]{}]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
  return globs.map(one).join('|');
}

export interface PanelQuery {
  id: PanelId;
  title: string;
  unit: HealthPanel['unit'];
  /** Absent: the panel is a cluster-wide figure this person may not see. */
  query?: string;
}

/** What a namespace-limited person is told instead of a cluster-wide figure. */
export const CLUSTER_WIDE_ONLY = 'cluster-wide figures need a wider role';

/**
 * The brief's eight fleet-health panels for one cluster. These are the BFF's own fixed
 * queries, with the cluster matcher written into every selector; user-written PromQL
 * (and its label enforcement) belongs to the health-panels feature.
 *
 * `namespaces`: for someone limited to some namespaces, the panels that can be counted
 * per namespace (pods, CPU, memory) are, with the namespace matcher in the selectors
 * that count; the cluster-wide figures (nodes, GitOps, violations, failed sign-ins) have
 * no query. API availability stays: whether the cluster answers is what the fleet tree
 * already shows everyone who sees the cluster.
 */
export function clusterPanelQueries(cluster: string, namespaces: '*' | readonly string[] = '*'): PanelQuery[] {
  const c = `cluster=${promString(cluster)}`;
  if (namespaces !== '*') {
    const ns = namespaces.length > 0 ? `namespace=~${promString(namespaceRegex(namespaces))}` : undefined;
    const cn = `${c},${ns}`;
    return [
      { id: 'apiAvailability', title: 'API availability', unit: 'bool', query: `max(up{job="kubernetes-apiservers",${c}})` },
      { id: 'nodesReady', title: 'Nodes ready', unit: 'count' },
      {
        id: 'podHealthRatio',
        title: 'Pod health ratio (your namespaces)',
        unit: 'ratio',
        ...(ns && { query: `sum(kube_pod_status_phase{phase="Running",${cn}}) / sum(kube_pod_status_phase{${cn}})` }),
      },
      { id: 'gitopsSync', title: 'GitOps synced', unit: 'ratio' },
      { id: 'violations', title: 'Policy violations', unit: 'count' },
      { id: 'failedAuth', title: 'Failed auth attempts', unit: 'perSecond' },
      {
        id: 'cpu',
        title: 'CPU used by your namespaces',
        unit: 'ratio',
        ...(ns && { query: `sum(rate(container_cpu_usage_seconds_total{${cn}}[5m])) / sum(machine_cpu_cores{${c}})` }),
      },
      {
        id: 'memory',
        title: 'Memory used by your namespaces',
        unit: 'ratio',
        ...(ns && { query: `sum(container_memory_working_set_bytes{${cn}}) / sum(machine_memory_bytes{${c}})` }),
      },
    ];
  }
  return [
    { id: 'apiAvailability', title: 'API availability', unit: 'bool', query: `max(up{job="kubernetes-apiservers",${c}})` },
    {
      id: 'nodesReady',
      title: 'Nodes ready',
      unit: 'count',
      query: `sum(kube_node_status_condition{condition="Ready",status="true",${c}})`,
    },
    {
      id: 'podHealthRatio',
      title: 'Pod health ratio',
      unit: 'ratio',
      query: `sum(kube_pod_status_phase{phase="Running",${c}}) / sum(kube_pod_status_phase{${c}})`,
    },
    {
      id: 'gitopsSync',
      title: 'GitOps synced',
      unit: 'ratio',
      query: `sum(argocd_app_info{sync_status="Synced",${c}}) / count(argocd_app_info{${c}})`,
    },
    { id: 'violations', title: 'Policy violations', unit: 'count', query: `sum(gatekeeper_violations{${c}})` },
    {
      id: 'failedAuth',
      title: 'Failed auth attempts',
      unit: 'perSecond',
      query: `sum(rate(apiserver_authentication_failures_total{${c}}[5m]))`,
    },
    {
      id: 'cpu',
      title: 'CPU usage',
      unit: 'ratio',
      query: `sum(rate(container_cpu_usage_seconds_total{${c}}[5m])) / sum(machine_cpu_cores{${c}})`,
    },
    {
      id: 'memory',
      title: 'Memory usage',
      unit: 'ratio',
      query: `sum(container_memory_working_set_bytes{${c}}) / sum(machine_memory_bytes{${c}})`,
    },
  ];
}

export const RANGE_SECONDS: Record<HealthRange, number> = { '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600 };
/** About 120 points a chart, whatever the range. */
export const stepFor = (range: HealthRange) => Math.max(60, Math.floor(RANGE_SECONDS[range] / 120));
