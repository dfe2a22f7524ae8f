import { compileGlob, type GlobMatcher } from '@fleetdeck/shared';

import { HttpProblem } from '../../lib/problem.ts';
import type { QueryData } from '../../sources/prometheus/prometheus-client.ts';
import { CLUSTER_LABEL, NAMESPACE_LABEL, type PromAccess } from './index.ts';

/**
 * The second wall (ARCHITECTURE §4.7): whatever Prometheus answered, series of a cluster or
 * a namespace the person may not see never leave the BFF. Driven by exactly the groups the
 * enforcer used for the query.
 *
 * `View`: the clusters (and namespaces) the person may see, exactly as the enforcer's groups say.
 */
export interface View {
  access: PromAccess;
  /** cluster → `"*"` (every namespace) or the person's namespace globs there. */
  clusters: Map<string, '*' | GlobMatcher[]>;
  /** Whether some group covers every namespace of its clusters. */
  anyWholeCluster: boolean;
  /** Every namespace glob of the namespace-limited groups. */
  namespaceGlobs: GlobMatcher[];
}

/** What the answer filter lets through: exactly the enforcer's groups. */
export function viewFor(access: PromAccess): View {
  const clusters = new Map<string, '*' | GlobMatcher[]>();
  const namespaceGlobs: GlobMatcher[] = [];
  let anyWholeCluster = false;
  for (const group of access.groups) {
    let namespaces: '*' | GlobMatcher[] = '*';
    if (group.namespaces === '*') anyWholeCluster = true;
    else {
      namespaces = [];
      for (const glob of group.namespaces) {
        try {
          namespaces.push(compileGlob(glob));
        } catch {
          // a glob that cannot be matched grants nothing (the enforcer left it out too)
        }
      }
      namespaceGlobs.push(...namespaces);
    }
    for (const cluster of group.clusters) clusters.set(cluster, namespaces);
  }
  return { access, clusters, anyWholeCluster, namespaceGlobs };
}

function namespaceAllowedSomewhere(view: View, namespace: string): boolean {
  return view.anyWholeCluster || view.namespaceGlobs.some((m) => m(namespace));
}

/**
 * Defence in depth (§4.7): whether a series may leave. A `cluster` label must name a visible
 * cluster; a `namespace` label must be one of the person's namespaces there (anywhere they
 * have one, for a series without `cluster`). Series with neither (aggregates) were computed
 * only from enforced selectors and pass.
 */
export function seriesVisible(view: View, labels: Record<string, string>): boolean {
  const cluster = Object.hasOwn(labels, CLUSTER_LABEL) ? labels[CLUSTER_LABEL] : undefined;
  const namespace = Object.hasOwn(labels, NAMESPACE_LABEL) ? labels[NAMESPACE_LABEL] : undefined;
  if (cluster === undefined) return namespace === undefined || namespaceAllowedSomewhere(view, namespace);
  const namespaces = view.clusters.get(cluster);
  if (namespaces === undefined) return false;
  if (namespaces === '*' || namespace === undefined) return true;
  return namespaces.some((m) => m(namespace));
}

const isLabels = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

function unexpected(): never {
  throw new HttpProblem(502, 'Prometheus gave an answer of an unexpected shape');
}

export function filterQueryData(view: View, data: QueryData): QueryData {
  if (data.resultType === 'scalar' || data.resultType === 'string') return data;
  if ((data.resultType !== 'vector' && data.resultType !== 'matrix') || !Array.isArray(data.result)) unexpected();
  const result = (data.result as { metric?: unknown }[]).filter((s) => {
    if (typeof s !== 'object' || s === null || !isLabels(s.metric)) unexpected();
    return seriesVisible(view, s.metric);
  });
  return { ...data, result } as QueryData;
}

export function filterLabelValues(view: View, name: string, values: unknown): string[] {
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) unexpected();
  if (name === CLUSTER_LABEL) return values.filter((v) => view.clusters.has(v));
  if (name === NAMESPACE_LABEL) return values.filter((v) => namespaceAllowedSomewhere(view, v));
  return values;
}

/** The series API's answer, without the series the person may not see. */
export function filterSeriesData(view: View, data: unknown): Record<string, string>[] {
  if (!Array.isArray(data) || !data.every(isLabels)) unexpected();
  return data.filter((s) => seriesVisible(view, s));
}

/** The labels API's answer (label names carry no tenant data; the shape is still checked). */
export function checkLabelNames(data: unknown): string[] {
  if (!Array.isArray(data) || !data.every((v) => typeof v === 'string')) unexpected();
  return data;
}
