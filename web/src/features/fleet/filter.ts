import type { Cluster, FleetTree } from '@fleetdeck/shared';

/**
 * The quick filter: every whitespace-separated word must appear in the cluster's name
 * or in one of its label values (case-insensitive). The full selector syntax of the
 * brief replaces this with the shared parser.
 */
export function matchesQuickFilter(cluster: Cluster, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [cluster.name, ...Object.values(cluster.labels), cluster.state].join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** The tree with non-matching clusters, and then empty environments and tenants, removed. */
export function filterTree(tree: FleetTree, filter: string): FleetTree['tenants'] {
  return tree.tenants
    .map((t) => ({
      ...t,
      environments: t.environments
        .map((e) => ({ ...e, clusters: e.clusters.filter((c) => matchesQuickFilter(c, filter)) }))
        .filter((e) => e.clusters.length > 0),
    }))
    .filter((t) => t.environments.length > 0);
}
