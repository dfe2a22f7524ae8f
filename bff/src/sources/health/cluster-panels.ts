import type { HealthPanel, HealthRange } from '@fleetdeck/shared';

type PanelId = HealthPanel['id'];

/** A PromQL string literal: the cluster name is data, never query text. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The brief's eight fleet-health panels for one cluster. These are the BFF's own fixed
 * queries, with the cluster matcher written into every selector; user-written PromQL
 * (and its label enforcement) belongs to the health-panels feature.
 */
export function clusterPanelQueries(cluster: string): { id: PanelId; title: string; unit: HealthPanel['unit']; query: string }[] {
  const c = `cluster=${promString(cluster)}`;
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
