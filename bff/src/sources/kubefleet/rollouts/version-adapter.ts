import type {
  KfApproval,
  KfClusterStatus,
  KfCondition,
  KfRun,
  KfRunState,
  KfScope,
  KfStageSpec,
  KfStageStatus,
  KfTaskSpec,
  KfTaskStatus,
  KfTaskType,
} from './kf-objects.ts';
import { readRecordedApprovals } from './recorded-approvals.ts';

/**
 * One reader for staged update runs and approval requests of `placement.kubernetes-fleet.io`
 * `v1beta1` and `v1` (same schema) and of the proposed API with `spec.suspend`. Unknown
 * fields are ignored, unknown enum values become `Unknown`, malformed parts are dropped:
 * it never throws on what the hub serves.
 */
export const PLACEMENT_GROUP = 'placement.kubernetes-fleet.io';
export const TARGET_UPDATE_RUN_LABEL = 'kubernetes-fleet.io/targetupdaterun';
export const TARGET_STAGE_LABEL = 'kubernetes-fleet.io/targetUpdatingStage';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

export function readConditions(v: unknown): KfCondition[] {
  const out: KfCondition[] = [];
  for (const item of arr(v)) {
    const c = rec(item);
    const type = nonEmpty(c?.type);
    if (!c || !type) continue;
    const status = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
    const reason = str(c.reason);
    const message = str(c.message);
    const lastTransitionTime = str(c.lastTransitionTime);
    const observedGeneration = int(c.observedGeneration);
    out.push({
      type,
      status,
      ...(reason !== undefined && { reason }),
      ...(message && { message }),
      ...(lastTransitionTime !== undefined && { lastTransitionTime }),
      ...(observedGeneration !== undefined && { observedGeneration }),
    });
  }
  return out;
}

const taskType = (v: unknown): KfTaskType => (v === 'Approval' || v === 'TimedWait' ? v : 'Unknown');

function readTaskSpecs(v: unknown): KfTaskSpec[] {
  return arr(v).flatMap((item) => {
    const t = rec(item);
    if (!t) return [];
    const waitTime = nonEmpty(t.waitTime);
    return [{ type: taskType(t.type), ...(waitTime !== undefined && { waitTime }) }];
  });
}

function readStageSpecs(v: unknown): KfStageSpec[] {
  return arr(v).flatMap((item) => {
    const s = rec(item);
    const name = nonEmpty(s?.name);
    if (!s || !name) return [];
    const mc = s.maxConcurrency;
    // Upstream defaults an absent maxConcurrency to 1; a value of another type is not shown.
    const maxConcurrency = mc === undefined ? 1 : typeof mc === 'number' || typeof mc === 'string' ? mc : undefined;
    return [
      {
        name,
        ...(maxConcurrency !== undefined && { maxConcurrency }),
        beforeStageTasks: readTaskSpecs(s.beforeStageTasks),
        afterStageTasks: readTaskSpecs(s.afterStageTasks),
      },
    ];
  });
}

function readTaskStatuses(v: unknown): KfTaskStatus[] {
  return arr(v).flatMap((item) => {
    const t = rec(item);
    if (!t) return [];
    const approvalRequestName = nonEmpty(t.approvalRequestName);
    return [{ type: taskType(t.type), ...(approvalRequestName && { approvalRequestName }), conditions: readConditions(t.conditions) }];
  });
}

function readClusters(v: unknown): KfClusterStatus[] {
  return arr(v).flatMap((item) => {
    const c = rec(item);
    const clusterName = nonEmpty(c?.clusterName);
    return c && clusterName ? [{ clusterName, conditions: readConditions(c.conditions) }] : [];
  });
}

export function readStageStatus(v: unknown, fallbackName?: string): KfStageStatus | undefined {
  const s = rec(v);
  const stageName = nonEmpty(s?.stageName) ?? fallbackName;
  if (!s || !stageName) return undefined;
  const startTime = nonEmpty(s.startTime);
  const endTime = nonEmpty(s.endTime);
  return {
    stageName,
    ...(startTime && { startTime }),
    ...(endTime && { endTime }),
    conditions: readConditions(s.conditions),
    clusters: readClusters(s.clusters),
    beforeStageTaskStatus: readTaskStatuses(s.beforeStageTaskStatus),
    afterStageTaskStatus: readTaskStatuses(s.afterStageTaskStatus),
  };
}

/** spec.state, or the proposed API's spec.suspend (true = Stop, false = Run) when state is absent. */
export function readRunState(spec: Json | undefined): KfRunState {
  const state = spec?.state;
  if (state === 'Initialize' || state === 'Run' || state === 'Stop') return state;
  if (state === undefined || state === '') {
    if (spec?.suspend === true) return 'Stop';
    if (spec?.suspend === false) return 'Run';
    // Upstream defaults an absent state to Initialize.
    return 'Initialize';
  }
  return 'Unknown';
}

export const DELETE_STAGE_NAME = 'kubernetes-fleet.io/deleteStage';

/** Only Fleetdeck's own annotations are kept (others can be large: last-applied-configuration). */
function fleetdeckAnnotations(v: unknown): Record<string, string> | undefined {
  const entries = Object.entries(rec(v) ?? {}).filter(
    (e): e is [string, string] => e[0].startsWith('fleetdeck.dev/') && typeof e[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function readRun(raw: unknown, scope: KfScope): KfRun | undefined {
  const o = rec(raw);
  const meta = rec(o?.metadata);
  const name = nonEmpty(meta?.name);
  if (!o || !meta || !name) return undefined;
  const spec = rec(o.spec);
  const status = rec(o.status);
  const namespace = nonEmpty(meta.namespace);
  const uid = nonEmpty(meta.uid);
  const resourceVersion = nonEmpty(meta.resourceVersion);
  const generation = int(meta.generation);
  const createdAt = nonEmpty(meta.creationTimestamp);
  const resourceSnapshotIndex = nonEmpty(spec?.resourceSnapshotIndex);
  const strategyName = nonEmpty(spec?.stagedRolloutStrategyName);
  const used = nonEmpty(status?.resourceSnapshotIndexUsed);
  const deletionStage = status?.deletionStageStatus ? readStageStatus(status.deletionStageStatus, DELETE_STAGE_NAME) : undefined;
  const annotations = fleetdeckAnnotations(meta.annotations);
  return {
    scope,
    apiVersion: nonEmpty(o.apiVersion) ?? `${PLACEMENT_GROUP}/v1beta1`,
    kind: nonEmpty(o.kind) ?? (scope === 'cluster' ? 'ClusterStagedUpdateRun' : 'StagedUpdateRun'),
    name,
    ...(namespace && scope === 'namespaced' && { namespace }),
    ...(uid && { uid }),
    ...(resourceVersion && { resourceVersion }),
    ...(generation !== undefined && { generation }),
    ...(createdAt && { createdAt }),
    ...(annotations && { annotations }),
    placementName: nonEmpty(spec?.placementName) ?? '',
    ...(resourceSnapshotIndex && { resourceSnapshotIndex }),
    ...(strategyName && { strategyName }),
    state: readRunState(spec),
    ...(used && { resourceSnapshotIndexUsed: used }),
    strategyStages: readStageSpecs(rec(status?.stagedUpdateStrategySnapshot)?.stages),
    stages: arr(status?.stagesStatus).flatMap((s) => readStageStatus(s) ?? []),
    ...(deletionStage && deletionStage.clusters.length > 0 && { deletionStage }),
    conditions: readConditions(status?.conditions),
  };
}

export function readApproval(raw: unknown, scope: KfScope): KfApproval | undefined {
  const o = rec(raw);
  const meta = rec(o?.metadata);
  const name = nonEmpty(meta?.name);
  if (!o || !meta || !name) return undefined;
  const spec = rec(o.spec);
  const labels = rec(meta.labels);
  const namespace = nonEmpty(meta.namespace);
  const resourceVersion = nonEmpty(meta.resourceVersion);
  const generation = int(meta.generation);
  const createdAt = nonEmpty(meta.creationTimestamp);
  const run = nonEmpty(spec?.parentStageRollout) ?? nonEmpty(labels?.[TARGET_UPDATE_RUN_LABEL]);
  const stage = nonEmpty(spec?.targetStage) ?? nonEmpty(labels?.[TARGET_STAGE_LABEL]);
  const recorded = readRecordedApprovals(rec(meta.annotations));
  return {
    scope,
    name,
    ...(namespace && scope === 'namespaced' && { namespace }),
    ...(resourceVersion && { resourceVersion }),
    ...(generation !== undefined && { generation }),
    ...(createdAt && { createdAt }),
    ...(run && { run }),
    ...(stage && { stage }),
    conditions: readConditions(rec(o.status)?.conditions),
    recordedApprovals: recorded.approvals,
    ...(recorded.error !== undefined && { recordedApprovalsError: recorded.error }),
  };
}

/** The version to read and write: `v1` when the hub serves it, else `v1beta1` (the storage version). */
export function chooseApiVersion(discovery: unknown): 'v1' | 'v1beta1' {
  const versions = arr(rec(discovery)?.versions).map((v) => rec(v)?.version);
  return versions.includes('v1') ? 'v1' : 'v1beta1';
}
