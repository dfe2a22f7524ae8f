import { createHash } from 'node:crypto';

import type { Condition } from '@fleetdeck/shared';

import {
  ANNOTATION,
  LABEL,
  type BundleDeploymentObject,
  type BundleDeploymentView,
  type BundleObject,
  type BundleView,
  type ClusterGroupObject,
  type ClusterGroupView,
  type FleetClusterObject,
  type FleetClusterView,
  type GitRepoObject,
  type GitRepoView,
  type IntOrPercent,
  type LabelSelector,
  type RawCondition,
} from './fleet-objects.ts';
import { HELD_BY_ANNOTATION } from './gating-annotations.ts';

// What the watch cache keeps of each Fleet object: malformed values are dropped here,
// so the mapping only ever sees well-formed views.

const MAX_MESSAGE = 500;
const text = (s: unknown): string | undefined => (typeof s === 'string' && s !== '' ? s : undefined);
const validTime = (s: string | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined);

/** An IntOrString as Fleet accepts it: a whole count, a digit string, or "N%"; anything else is dropped. */
export function intOrPercent(v: unknown): IntOrPercent | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  return /^\d+%$/.test(v) ? v : undefined;
}

/** Fleetdeck's own annotations (`fleetdeck.dev/…`), the only ones the mapping reads. */
function fleetdeckAnnotations(ann: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ann ?? {})) if (k.startsWith('fleetdeck.dev/') && typeof v === 'string') out[k] = v;
  return out;
}

const selector = (s: LabelSelector | null | undefined): LabelSelector | undefined => (s && typeof s === 'object' ? s : undefined);

function conditions(raw: RawCondition[] | undefined): Condition[] {
  return (raw ?? []).flatMap((c) => {
    if (!c.type || (c.status !== 'True' && c.status !== 'False' && c.status !== 'Unknown')) return [];
    const at = validTime(c.lastTransitionTime) ?? validTime(c.lastUpdateTime);
    return [
      {
        type: c.type,
        status: c.status,
        ...(text(c.reason) && { reason: c.reason }),
        ...(text(c.message) && { message: c.message }),
        ...(at && { lastTransitionTime: at }),
      },
    ];
  });
}

export function bundleView(obj: BundleObject): BundleView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  const rs = obj.spec?.rolloutStrategy ?? {};
  const labels = obj.metadata?.labels ?? {};
  const st = obj.status ?? {};
  const num = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);
  const strategy: BundleView['strategy'] = {
    partitions: (rs.partitions ?? []).map((p) => {
      const max = intOrPercent(p.maxUnavailable);
      const cs = selector(p.clusterSelector);
      const gs = selector(p.clusterGroupSelector);
      return {
        ...(text(p.name) && { name: p.name }),
        ...(max !== undefined && { maxUnavailable: max }),
        ...(text(p.clusterName) && { clusterName: p.clusterName }),
        ...(cs && { clusterSelector: cs }),
        ...(text(p.clusterGroup) && { clusterGroup: p.clusterGroup }),
        ...(gs && { clusterGroupSelector: gs }),
      };
    }),
  };
  const max = intOrPercent(rs.maxUnavailable);
  const maxParts = intOrPercent(rs.maxUnavailablePartitions);
  if (max !== undefined) strategy.maxUnavailable = max;
  if (maxParts !== undefined) strategy.maxUnavailablePartitions = maxParts;
  const partitions = (st.partitions ?? []).map((p) => {
    const count = num(p.count);
    const pmax = num(p.maxUnavailable);
    const unavailable = num(p.unavailable);
    return {
      ...(text(p.name) && { name: p.name }),
      ...(count !== undefined && { count }),
      ...(pmax !== undefined && { maxUnavailable: pmax }),
      ...(unavailable !== undefined && { unavailable }),
      nonReadyClusters: (p.summary?.nonReadyResources ?? []).flatMap((r) => (text(r.name) ? [r.name!] : [])),
    };
  });
  const status: BundleView['status'] = { partitions };
  for (const k of ['maxUnavailablePartitions', 'unavailable', 'maxUnavailable'] as const) {
    const v = num(st[k]);
    if (v !== undefined) status[k] = v;
  }
  const createdAt = validTime(obj.metadata?.creationTimestamp);
  const commit = text(labels[LABEL.commit]);
  return {
    name,
    namespace,
    ...(text(obj.metadata?.uid) && { uid: obj.metadata!.uid }),
    ...(createdAt && { createdAt }),
    ...(text(labels[LABEL.repoName]) && { repoName: labels[LABEL.repoName] }),
    ...(commit && { commit }),
    paused: obj.spec?.paused === true,
    fleetdeck: fleetdeckAnnotations(obj.metadata?.annotations),
    ...(!commit && { contentDigest: contentDigest(obj.spec) }),
    strategy,
    status,
    conditions: conditions(st.conditions),
  };
}

/** What Fleet deploys, without the fields that only steer the rollout: a new digest is a new version to approve. */
function contentDigest(spec: BundleObject['spec']): string {
  const { paused: _p, rolloutStrategy: _r, ...content } = spec ?? {};
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/** Since when a deployment has been applied and ready: the later of the Deployed and Ready transitions, both True. */
function healthySince(st: NonNullable<BundleDeploymentObject['status']>): string | undefined {
  if (st.ready !== true) return undefined;
  const at = (type: string) => {
    const c = st.conditions?.find((k) => k.type === type);
    return c?.status === 'True' ? (validTime(c.lastTransitionTime) ?? validTime(c.lastUpdateTime)) : undefined;
  };
  const times = [at('Ready'), at('Deployed')].filter((t): t is string => t !== undefined);
  return times.length > 0 ? times.sort().at(-1) : undefined;
}

/** Why a cluster is not ready, in Fleet's words: its non-ready resources first, then the display message or Ready condition. */
function deploymentMessage(st: NonNullable<BundleDeploymentObject['status']>): string | undefined {
  const resources = (st.nonReadyStatus ?? []).slice(0, 3).map((r) => {
    const where = [r.namespace, r.name].filter(Boolean).join('/');
    const why = (r.summary?.message ?? []).filter((m) => typeof m === 'string').join('; ');
    return `${(r.kind ?? 'resource').toLowerCase()} ${where}${why ? `: ${why}` : ''}`;
  });
  const msg =
    resources.join('; ') ||
    text(st.display?.message) ||
    text(st.conditions?.find((c) => c.type === 'Ready' && c.status === 'False')?.message);
  return msg && msg.length > MAX_MESSAGE ? `${msg.slice(0, MAX_MESSAGE - 1)}…` : msg;
}

export function bundleDeploymentView(obj: BundleDeploymentObject): BundleDeploymentView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  const labels = obj.metadata?.labels ?? {};
  const bundleName = labels[LABEL.bundleName];
  const bundleNamespace = labels[LABEL.bundleNamespace];
  // Without both labels the deployment cannot be told apart from another workspace's bundle of the same name.
  if (!name || !namespace || !bundleName || !bundleNamespace) return undefined;
  const spec = obj.spec ?? {};
  const st = obj.status ?? {};
  const message = deploymentMessage(st);
  const since = healthySince(st);
  const error = st.display?.state === 'ErrApplied' || (st.nonReadyStatus ?? []).some((r) => r.summary?.error === true);
  return {
    name,
    namespace,
    bundleKey: `${bundleNamespace}/${bundleName}`,
    ...(text(labels[LABEL.cluster]) && { cluster: labels[LABEL.cluster] }),
    ...(text(labels[LABEL.clusterNamespace]) && { clusterNamespace: labels[LABEL.clusterNamespace] }),
    ...(text(labels[LABEL.commit]) && { commit: labels[LABEL.commit] }),
    paused: spec.paused === true,
    ...(text(spec.stagedDeploymentID) && { stagedDeploymentID: spec.stagedDeploymentID }),
    ...(text(spec.deploymentID) && { deploymentID: spec.deploymentID }),
    ...(text(st.appliedDeploymentID) && { appliedDeploymentID: st.appliedDeploymentID }),
    ready: st.ready === true,
    ...(since && { healthySince: since }),
    error,
    ...(message && { message }),
  };
}

export function gitRepoView(obj: GitRepoObject): GitRepoView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  const ann = obj.metadata?.annotations ?? {};
  const pinned = ann[ANNOTATION.pinnedFromBranch];
  return {
    name,
    namespace,
    ...(text(obj.spec?.branch) && { branch: obj.spec!.branch }),
    ...(text(obj.spec?.revision) && { revision: obj.spec!.revision }),
    ...(text(obj.status?.commit) && { commit: obj.status!.commit }),
    ...(typeof pinned === 'string' && { pinnedFromBranch: pinned }),
    ...(text(ann[ANNOTATION.previousCommit]) && { previousCommit: ann[ANNOTATION.previousCommit] }),
    fleetdeck: fleetdeckAnnotations(ann),
  };
}

export function fleetClusterView(obj: FleetClusterObject): FleetClusterView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  return {
    name,
    namespace,
    ...(text(obj.status?.namespace) && { statusNamespace: obj.status!.namespace }),
    labels: obj.metadata?.labels ?? {},
    paused: obj.spec?.paused === true,
    ...(typeof obj.metadata?.annotations?.[HELD_BY_ANNOTATION] === 'string' && { heldBy: obj.metadata.annotations[HELD_BY_ANNOTATION] }),
  };
}

export function clusterGroupView(obj: ClusterGroupObject): ClusterGroupView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  const sel = selector(obj.spec?.selector);
  return { name, namespace, labels: obj.metadata?.labels ?? {}, ...(sel && { selector: sel }) };
}
