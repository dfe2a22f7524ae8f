import { ALLOWED, type DeliveryDetail, type DeliveryStatus, type DeliverySummary, type DeliveryTarget } from '@fleetdeck/shared';

import { worstStatus } from '../../domain/delivery-state.ts';
import type { SourceDelivery } from '../../sources/gitops/delivery-source.ts';
import { admits, type Reach } from './delivery-reach.ts';

/** One delivery as one person sees it: the summary over their clusters, and those clusters' parts. */
export interface ScopedDelivery {
  source: SourceDelivery;
  summary: DeliverySummary;
  /** Visible targets only, each cut to what the person may read there. */
  targets: readonly DeliveryTarget[];
}

/** Same words whether one cluster or a hundred are out of sight: the count is not theirs to learn. */
export const OUTSIDE_SCOPE = 'it deploys to clusters outside your scope';
export const NOT_OPERATOR = 'your role may not operate on its clusters';
export const UNMAPPED_OPERATE = 'its destination is no cluster Fleetdeck knows; only whole-fleet operators may act on it';

/**
 * A target on a cluster the person sees, cut to their namespaces when they are namespace
 * limited: resources elsewhere (and cluster-scoped ones) go, and so do the engine's free
 * text and "how many more" (either could tell of what they may not see).
 */
function cutTarget(t: DeliveryTarget, reach: Reach): DeliveryTarget | undefined {
  const r = reach.clusters.get(t.cluster);
  if (!r) return undefined;
  if (r.view === '*') return t;
  const { message: _m, resourcesCut: _c, ...rest } = t;
  return { ...rest, resources: t.resources.filter((x) => admits(r.view, x.namespace)) };
}

/** Whether the person sees the delivery at all, and which of its targets. */
function visibleTargets(d: SourceDelivery, reach: Reach): DeliveryTarget[] | undefined {
  if (d.engine === 'argocd') {
    if (d.destinationCluster === undefined) return reach.wholeView ? d.targets.flatMap((t) => cutTarget(t, reach) ?? []) : undefined;
    const r = reach.clusters.get(d.destinationCluster);
    if (!r || !admits(r.view, d.destinationNamespace)) return undefined;
    return d.targets.flatMap((t) => cutTarget(t, reach) ?? []);
  }
  const targets = d.targets.flatMap((t) => cutTarget(t, reach) ?? []);
  // No visible target: only a whole-fleet viewer may know it exists (it reaches nothing, or nothing known).
  return targets.length > 0 || reach.wholeView ? targets : undefined;
}

function operatesEverywhere(d: SourceDelivery, reach: Reach): string {
  if (d.targets.length === 0) return reach.wholeOperate ? ALLOWED : OUTSIDE_SCOPE;
  let hidden = false;
  for (const t of d.targets) {
    const r = reach.clusters.get(t.cluster);
    if (!r) hidden = true;
    else if (r.operate !== '*') return NOT_OPERATOR;
  }
  return hidden ? OUTSIDE_SCOPE : ALLOWED;
}

function operatesDestination(d: SourceDelivery, reach: Reach): string {
  if (d.destinationCluster === undefined) return reach.wholeOperate ? ALLOWED : UNMAPPED_OPERATE;
  const r = reach.clusters.get(d.destinationCluster);
  return r && admits(r.operate, d.destinationNamespace) ? ALLOWED : NOT_OPERATOR;
}

export function canOf(d: SourceDelivery, reach: Reach): DeliverySummary['can'] {
  if (d.engine === 'fleet') {
    const why = operatesEverywhere(d, reach);
    return { forceUpdate: why, pause: why };
  }
  const why = operatesDestination(d, reach);
  return { sync: why, refresh: why };
}

/** The counted fields of a summary, over these targets (and the repo-level trouble everyone sees). */
export function countsOf(
  targets: readonly DeliveryTarget[],
  repoStatus: DeliveryStatus | undefined,
): Pick<DeliverySummary, 'status' | 'ready' | 'desired' | 'byStatus' | 'lastSyncAt'> {
  const byStatus: Record<string, number> = {};
  let ready = 0;
  let lastSyncAt: string | undefined;
  for (const t of targets) {
    byStatus[t.status.label] = (byStatus[t.status.label] ?? 0) + 1;
    if (t.status.tone === 'ok') ready++;
    if (t.lastSyncAt !== undefined && (lastSyncAt === undefined || Date.parse(t.lastSyncAt) > Date.parse(lastSyncAt)))
      lastSyncAt = t.lastSyncAt;
  }
  const statuses = targets.map((t) => t.status);
  if (repoStatus) statuses.push(repoStatus);
  return { status: worstStatus(statuses), ready, desired: targets.length, byStatus, ...(lastSyncAt !== undefined && { lastSyncAt }) };
}

/** The neutral summary fields of a source delivery (everything not per-person). */
function baseOf(d: SourceDelivery): Omit<DeliverySummary, 'status' | 'ready' | 'desired' | 'byStatus' | 'lastSyncAt' | 'can'> {
  const {
    targets: _t,
    repoStatus: _r,
    destinationCluster: _dc,
    destinationNamespace: _dn,
    placement: _p,
    object: _o,
    annotations: _a,
    ...base
  } = d;
  return base;
}

/** The delivery as this person sees it, or undefined when they may not see it. */
export function scopeDelivery(d: SourceDelivery, reach: Reach): ScopedDelivery | undefined {
  const targets = visibleTargets(d, reach);
  if (!targets) return undefined;
  const summary: DeliverySummary = { ...baseOf(d), ...countsOf(targets, d.repoStatus), can: canOf(d, reach) };
  return { source: d, summary, targets };
}

/** One cluster's part as a summary of its own (the cluster grouping, the cluster page). */
export function partOf(s: ScopedDelivery, target: DeliveryTarget): DeliverySummary {
  return { ...s.summary, ...countsOf([target], s.source.repoStatus) };
}

/**
 * The detail: the summary, the visible targets, and the placement cut to visible clusters
 * (never how many are hidden). A rule or customization that reaches none of them is left
 * out for anyone who does not see the whole fleet: its selector may spell a hidden name.
 */
export function detailOf(s: ScopedDelivery, reach: Reach): DeliveryDetail {
  const p = s.source.placement;
  const cut = <T extends { clusters: readonly string[] }>(rules: readonly T[]): (T & { clusters: string[] })[] =>
    rules.flatMap((r) => {
      const clusters = r.clusters.filter((n) => reach.clusters.has(n));
      return clusters.length > 0 || reach.wholeView ? [{ ...r, clusters }] : [];
    });
  return {
    ...s.summary,
    targets: [...s.targets],
    ...(p && { placement: { targets: cut(p.targets), customizations: cut(p.customizations) } }),
  };
}
