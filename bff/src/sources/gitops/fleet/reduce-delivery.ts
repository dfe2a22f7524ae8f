import { FleetBundleState, GitJobStatus, type DeliveryResource } from '@fleetdeck/shared';

import type { FleetCustomizationSpec, FleetLabelSelector, FleetTargetSpec } from '../../../domain/fleet-targets.ts';
import { LABEL, type RawCondition } from '../../rancher/bundles/fleet-objects.ts';
import type {
  BundleDeploymentObject,
  BundleDeploymentView,
  BundleObject,
  BundleView,
  GitRepoObject,
  GitRepoView,
  RawTarget,
} from './delivery-objects.ts';

// What the watch cache keeps of each Fleet object for deliveries: malformed values are
// dropped here, so the mapping only ever sees well-formed views.

/** Resources kept per BundleDeployment (the delivery shows at most 50 per cluster). */
export const MAX_RESOURCES = 50;
const MAX_MESSAGE = 500;
const MAX_OPTIONS = 20;
const MAX_OPTION = 200;
const MATCH_FIELDS = new Set(['name', 'clusterName', 'clusterSelector', 'clusterGroup', 'clusterGroupSelector', 'doNotDeploy']);

const text = (s: unknown): string | undefined => (typeof s === 'string' && s !== '' ? s : undefined);
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const validTime = (s: string | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined);

function fleetdeckAnnotations(ann: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ann ?? {})) if (k.startsWith('fleetdeck.dev/') && typeof v === 'string') out[k] = v;
  return out;
}

function labelSelector(s: unknown): FleetLabelSelector | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const { matchLabels, matchExpressions } = s as FleetLabelSelector;
  return {
    ...(matchLabels && typeof matchLabels === 'object' && { matchLabels }),
    ...(Array.isArray(matchExpressions) && { matchExpressions }),
  };
}

export function targetSpec(t: RawTarget): FleetTargetSpec {
  const cs = labelSelector(t.clusterSelector);
  const gs = labelSelector(t.clusterGroupSelector);
  return {
    ...(text(t.name) && { name: t.name }),
    ...(text(t.clusterName) && { clusterName: t.clusterName }),
    ...(cs && { clusterSelector: cs }),
    ...(text(t.clusterGroup) && { clusterGroup: t.clusterGroup }),
    ...(gs && { clusterGroupSelector: gs }),
  };
}

/** A customization's options as "path: value" lines for people (helm values, overlays, namespaces, …). */
export function optionLines(t: RawTarget): string[] {
  const lines: string[] = [];
  const walk = (path: string, v: unknown) => {
    if (lines.length > MAX_OPTIONS) return;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(path ? `${path}.${k}` : k, x);
    } else if (v !== undefined && v !== null) lines.push(cut(`${path}: ${typeof v === 'string' ? v : JSON.stringify(v)}`, MAX_OPTION));
  };
  for (const [k, v] of Object.entries(t)) if (!MATCH_FIELDS.has(k)) walk(k, v);
  return lines.length > MAX_OPTIONS ? [...lines.slice(0, MAX_OPTIONS), '…'] : lines;
}

function gitJob(s: string | undefined): GitJobStatus {
  const parsed = GitJobStatus.safeParse(s);
  return parsed.success ? parsed.data : 'Unknown';
}

function gitJobMessage(st: NonNullable<GitRepoObject['status']>): string | undefined {
  const c = (type: string, status: string) => st.conditions?.find((k) => k.type === type && k.status === status)?.message;
  const msg = text(st.display?.message) ?? text(c('Stalled', 'True')) ?? text(c('Accepted', 'False')) ?? text(c('Ready', 'False'));
  return msg && cut(msg, MAX_MESSAGE);
}

export function gitRepoView(obj: GitRepoObject): GitRepoView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  const spec = obj.spec ?? {};
  const st = obj.status ?? {};
  const job = gitJob(st.gitJobStatus);
  const message = job !== 'Current' || st.display?.error === true ? gitJobMessage(st) : undefined;
  const fsg = spec.forceSyncGeneration;
  return {
    name,
    namespace,
    ...(text(obj.metadata?.uid) && { uid: obj.metadata!.uid }),
    labels: obj.metadata?.labels ?? {},
    fleetdeck: fleetdeckAnnotations(obj.metadata?.annotations),
    repo: text(spec.repo) ?? '',
    ...(text(spec.branch) && { branch: spec.branch }),
    ...(text(spec.revision) && { revision: spec.revision }),
    paths: (spec.paths ?? []).filter((p): p is string => typeof p === 'string'),
    paused: spec.paused === true,
    forceSyncGeneration: typeof fsg === 'number' && Number.isInteger(fsg) ? fsg : 0,
    ...(text(spec.pollingInterval) && { pollingInterval: spec.pollingInterval }),
    correctDrift: spec.correctDrift?.enabled === true,
    ...(text(st.commit) && { commit: st.commit }),
    gitJob: job,
    ...(message && { gitJobMessage: message }),
    targets: (spec.targets ?? []).filter((t) => t && typeof t === 'object').map(targetSpec),
  };
}

export function bundleView(obj: BundleObject): BundleView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  const targets = (obj.spec?.targets ?? []).filter((t) => t && typeof t === 'object');
  const restrictions = (obj.spec?.targetRestrictions ?? []).length;
  // Fleet: bundlereader puts fleet.yaml's targetCustomizations first, then the GitRepo's
  // targets (also copied to targetRestrictions); without restrictions there are none.
  const customizations: FleetCustomizationSpec[] =
    restrictions === 0
      ? []
      : targets.slice(0, Math.max(0, targets.length - restrictions)).map((t, i) => ({
          ...targetSpec(t),
          name: text(t.name) ?? `target${String(i).padStart(3, '0')}`,
          ...(t.doNotDeploy === true && { doNotDeploy: true }),
          options: optionLines(t),
        }));
  const repoName = text(obj.metadata?.labels?.[LABEL.repoName]);
  return { name, namespace, ...(repoName && { repoName }), paused: obj.spec?.paused === true, customizations };
}

const cond = (conds: RawCondition[] | undefined, type: string) => conds?.find((c) => c.type === type);

/** Fleet's own derivation (controller summary.GetDeploymentState) for a deployment without `display.state`. */
function derivedState(bd: BundleDeploymentObject): FleetBundleState {
  const { spec = {}, status = {} } = bd;
  if (!spec.deploymentID) return 'Pending';
  if (status.appliedDeploymentID !== spec.deploymentID)
    return cond(status.conditions, 'Deployed')?.status === 'False' ? 'ErrApplied' : 'WaitApplied';
  if (status.ready !== true) return 'NotReady';
  if (spec.deploymentID !== spec.stagedDeploymentID) return 'OutOfSync';
  if (status.nonModified === false) return 'Modified';
  return 'Ready';
}

function resources(st: NonNullable<BundleDeploymentObject['status']>): { kept: DeliveryResource[]; total: number } {
  const all: DeliveryResource[] = [];
  const add = (r: { kind?: string; namespace?: string; name?: string }, state: string, message: string | undefined) => {
    if (!text(r.name)) return;
    all.push({
      kind: text(r.kind) ?? 'Resource',
      ...(text(r.namespace) && { namespace: r.namespace }),
      name: r.name!,
      state,
      ...(message && { message: cut(message, MAX_MESSAGE) }),
    });
  };
  for (const r of st.nonReadyStatus ?? []) {
    const msg = (r.summary?.message ?? []).filter((m) => typeof m === 'string').join('; ');
    add(r, 'NotReady', msg || text(r.summary?.state));
  }
  for (const r of st.modifiedStatus ?? []) {
    if (r.missing) add(r, 'Missing', 'in git, not on the cluster');
    else if (r.delete) add(r, 'Orphaned', 'on the cluster, no longer in git');
    else add(r, 'Modified', text(r.patch) ?? (r.exist ? 'exists but is owned by another bundle' : undefined));
  }
  return { kept: all.slice(0, MAX_RESOURCES), total: all.length };
}

export function bundleDeploymentView(obj: BundleDeploymentObject): BundleDeploymentView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  const labels = obj.metadata?.labels ?? {};
  const bundleName = labels[LABEL.bundleName];
  const bundleNamespace = labels[LABEL.bundleNamespace];
  const cluster = text(labels[LABEL.cluster]);
  // Without these labels it cannot be told which GitRepo and which cluster it belongs to.
  if (!name || !namespace || !bundleName || !bundleNamespace || !cluster) return undefined;
  const spec = obj.spec ?? {};
  const st = obj.status ?? {};
  const display = FleetBundleState.safeParse(st.display?.state);
  const state = display.success ? display.data : derivedState(obj);
  const deployed = [cond(st.conditions, 'Deployed'), cond(st.conditions, 'Ready')].find((c) => c?.status === 'True');
  const deployedAt = validTime(deployed?.lastTransitionTime) ?? validTime(deployed?.lastUpdateTime);
  const message =
    text(st.display?.message) ??
    (state === 'Ready' ? undefined : (text(cond(st.conditions, 'Ready')?.message) ?? text(cond(st.conditions, 'Deployed')?.message)));
  const { kept, total } = resources(st);
  return {
    name,
    namespace,
    bundleKey: `${bundleNamespace}/${bundleName}`,
    cluster,
    ...(text(labels[LABEL.clusterNamespace]) && { clusterNamespace: labels[LABEL.clusterNamespace] }),
    ...(text(labels[LABEL.commit]) && { commit: labels[LABEL.commit] }),
    applied: !!spec.deploymentID && st.appliedDeploymentID === spec.deploymentID,
    state,
    paused: spec.paused === true,
    ...(message && { message: cut(message, MAX_MESSAGE) }),
    ...(deployedAt && { deployedAt }),
    resources: kept,
    resourcesCut: total - kept.length,
  };
}
