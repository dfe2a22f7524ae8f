import type {
  ClusterViolationFeed,
  CountsOnlyCount,
  NamespaceIsolation,
  PartialError,
  PolicyCoverage,
  Violation,
  ViolationTruncation,
} from '@fleetdeck/shared';

/** Kyverno's per-namespace result counts (pass and skip are not violations but belong in summaries). */
export interface NamespaceResultCounts {
  cluster: string;
  namespace: string;
  pass: number;
  warn: number;
  fail: number;
  error: number;
  skip: number;
}

/**
 * Everything the violation sources know now, **unfiltered** (the routes cut it per person
 * with `access/violations/*`). Cluster-scoped results (a ClusterPolicyReport, a
 * constraint on a cluster-scoped kind) have no `resource.namespace`: only people who see
 * the whole cluster see them.
 */
export interface ViolationSnapshot {
  /** Bumps on every change: answers computed from a snapshot may be cached by (version, person's scope key). */
  version: number;
  violations: readonly Violation[];
  truncations: readonly ViolationTruncation[];
  namespaceCounts: readonly NamespaceResultCounts[];
  coverage: readonly PolicyCoverage[];
  isolation: readonly NamespaceIsolation[];
  feeds: readonly ClusterViolationFeed[];
  /** Per cluster or per source; a cluster's error names only that cluster. */
  errors: readonly PartialError[];
  /**
   * The same rows grouped by cluster, when the source keeps them so: a cluster whose
   * findings did not change keeps the same array across versions, so work derived from
   * it (per-cluster counts, sorted runs) is done once per change of that cluster, not per
   * version. Optional: without it the views group `violations` themselves.
   */
  byCluster?: ReadonlyMap<string, readonly Violation[]>;
  /** Clusters without a connection: counts from the metrics they send to Prometheus (no resources, so no rows). */
  countsOnly?: readonly CountsOnlyCount[];
}

/**
 * Where violations come from: the BFF's own identity watching constraint kinds, policy
 * reports, baseline policies and NetworkPolicies on every member cluster it has a
 * connection to (informers; list/watch only), or the demo. Per-request fan-out to the
 * spokes is the naive baseline (bench), not the design.
 */
export interface ViolationSource {
  start(): Promise<void>;
  stop(): Promise<void>;
  snapshot(): ViolationSnapshot;
  /** Called with the clusters whose violations (or feed state, coverage, isolation) changed. Returns an unsubscribe. */
  onChange(listener: (clusters: readonly string[]) => void): () => void;
}
