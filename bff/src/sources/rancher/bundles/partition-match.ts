import { labelSelectorMatches } from '../../../domain/fleet-targets.ts';
import type { ClusterGroupView, FleetClusterView, IntOrPercent, LabelSelector, PartitionView } from './fleet-objects.ts';

/**
 * Kubernetes label selector semantics: `{}` selects everything; an invalid selector (an
 * unknown operator, In/NotIn without values) selects nothing (fail closed). One
 * implementation with the GitOps target matching.
 */
export const selectorMatches: (sel: LabelSelector, labels: Record<string, string>) => boolean = labelSelectorMatches;

/**
 * Fleet's limit: the first value given (else `fallback`) as a count, or a percentage of
 * `count` rounded down with at least 1; an empty set allows 1. `undefined` for a value
 * Fleet itself would refuse.
 */
export function fleetLimit(count: number, values: readonly (IntOrPercent | undefined)[], fallback: IntOrPercent): number | undefined {
  if (count <= 0) return 1;
  const v = values.find((x) => x !== undefined) ?? fallback;
  if (typeof v === 'number') return v;
  if (/^\d+$/.test(v)) return Number(v) > 0 ? Number(v) : pct(count, 0);
  const m = /^(\d+)%$/.exec(v);
  return m ? pct(count, Number(m[1])) : undefined;
}
const pct = (count: number, percent: number) => (percent <= 0 ? 1 : Math.max(1, Math.floor((count * percent) / 100)));

/** The ClusterGroups (of the cluster's own namespace) whose selector selects it; a group without a selector selects nothing. */
export function groupsOf(cluster: FleetClusterView, groups: readonly ClusterGroupView[]): ClusterGroupView[] {
  return groups.filter((g) => g.namespace === cluster.namespace && g.selector !== undefined && selectorMatches(g.selector, cluster.labels));
}

/**
 * Whether a partition selects a cluster, as Fleet's cluster matcher decides: every
 * criterion the partition sets must hold (a partition with none selects nothing), the
 * group criteria for one and the same group of the cluster.
 */
export function partitionSelects(p: PartitionView, cluster: FleetClusterView, clusterGroups: readonly ClusterGroupView[]): boolean {
  const byGroup = p.clusterGroup !== undefined || p.clusterGroupSelector !== undefined;
  if (p.clusterName === undefined && p.clusterSelector === undefined && !byGroup) return false;
  if (p.clusterName !== undefined && p.clusterName !== cluster.name) return false;
  if (p.clusterSelector !== undefined && !selectorMatches(p.clusterSelector, cluster.labels)) return false;
  if (!byGroup) return true;
  return clusterGroups.some(
    (g) =>
      (p.clusterGroup === undefined || g.name === p.clusterGroup) &&
      (p.clusterGroupSelector === undefined || selectorMatches(p.clusterGroupSelector, g.labels)),
  );
}
