import type { Violation, ViolationFilters } from '@fleetdeck/shared';

import type { ClusterReach, ScopedMeta, ScopedViolations } from './violation-scope.ts';

type Reach = ReadonlyMap<string, ClusterReach>;

/** Whether a cluster passes the cluster-level filters (cluster, tenant, env). */
export function clusterMatches(reach: Reach, cluster: string, f: ViolationFilters): boolean {
  if (f.cluster !== undefined && f.cluster !== cluster) return false;
  if (f.tenant === undefined && f.env === undefined) return true;
  const ref = reach.get(cluster)?.cluster;
  if (!ref) return false;
  return (f.tenant === undefined || ref.tenant === f.tenant) && (f.env === undefined || ref.environment === f.env);
}

/**
 * A predicate for the filters. `q` is plain text, compared case-insensitively as a
 * substring (never compiled as a pattern) against policy, rule, resource and message.
 */
export function violationMatcher(reach: Reach, f: ViolationFilters): (v: Violation) => boolean {
  const needle = f.q?.trim().toLowerCase();
  return (v) =>
    clusterMatches(reach, v.cluster, f) &&
    (f.engine === undefined || v.engine === f.engine) &&
    (f.policy === undefined || v.policy === f.policy) &&
    (f.severity === undefined || v.severity === f.severity) &&
    (f.action === undefined || v.action === f.action) &&
    (f.namespace === undefined || v.resource.namespace === f.namespace) &&
    (f.kind === undefined || v.resource.kind === f.kind) &&
    (!needle || haystack(v).includes(needle));
}

function haystack(v: Violation): string {
  const r = v.resource;
  return [v.policy, v.rule ?? '', r.kind, r.namespace ?? '', r.name, v.message].join('\n').toLowerCase();
}

/** Whether the filters look inside rows (beyond cluster, tenant, env and namespace): then counts cannot come from per-namespace totals. */
export function hasRowFilters(f: ViolationFilters): boolean {
  return (
    f.engine !== undefined ||
    f.policy !== undefined ||
    f.severity !== undefined ||
    f.action !== undefined ||
    f.kind !== undefined ||
    !!f.q?.trim()
  );
}

/** The person's rows under the filters, with the truncations, feeds and errors of the clusters the filters keep. */
export function filterScoped(scoped: ScopedViolations, f: ViolationFilters): ScopedViolations {
  return { ...filterMeta(scoped, f), violations: scoped.violations.filter(violationMatcher(scoped.reach, f)) };
}

/** `filterScoped` without the rows. */
export function filterMeta(scoped: ScopedMeta, f: ViolationFilters): ScopedMeta {
  const { reach } = scoped;
  const keep = (cluster: string) => clusterMatches(reach, cluster, f);
  // Kyverno's pass/fail counts are per namespace only: any narrower filter would make them wrong, so they are left out.
  const countsApply =
    f.engine !== 'gatekeeper' &&
    f.policy === undefined &&
    f.severity === undefined &&
    f.action === undefined &&
    f.kind === undefined &&
    !f.q?.trim();
  return {
    reach,
    namespaceCounts: countsApply
      ? scoped.namespaceCounts.filter((n) => keep(n.cluster) && (f.namespace === undefined || n.namespace === f.namespace))
      : [],
    truncations: scoped.truncations.filter(
      (t) => keep(t.cluster) && f.engine !== 'kyverno' && (f.policy === undefined || t.policy === f.policy) && f.namespace === undefined,
    ),
    coverage: scoped.coverage.filter((c) => keep(c.cluster)),
    isolation: scoped.isolation.filter((i) => keep(i.cluster)),
    feeds: scoped.feeds.filter((x) => keep(x.cluster)),
    errors: scoped.errors.filter((e) => e.cluster === undefined || keep(e.cluster)),
  };
}
