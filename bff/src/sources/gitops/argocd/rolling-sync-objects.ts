import type { Condition } from '@fleetdeck/shared';

/**
 * What the RollingSync rollout source keeps of Argo CD's ApplicationSets and Applications
 * (slim informers): malformed values are dropped here, so the mapping only sees
 * well-formed views. Only RollingSync sets with steps are kept (upstream treats a set
 * without steps as AllAtOnce), and only Applications an ApplicationSet owns.
 */

export interface MatchExpression {
  key: string;
  operator: string;
  values: string[];
}
export interface StepView {
  matchExpressions: MatchExpression[];
  /** Upstream's IntOrString; absent: 100%. */
  maxUpdate?: number | string;
}
export type ProgressiveStatus = 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';
export interface AppStatusView {
  application: string;
  status: ProgressiveStatus;
  /** 1-based step, -1 for none (as upstream writes it, a string); undefined when unreadable. */
  step?: number;
  message?: string;
  lastTransitionTime?: string;
  targetRevisions: string[];
}
export interface AppSetView {
  name: string;
  namespace: string;
  uid?: string;
  createdAt?: string;
  steps: StepView[];
  applicationStatus: AppStatusView[];
  conditions: Condition[];
  /** Fleetdeck's own annotations (`fleetdeck.dev/…`), the only ones read. */
  fleetdeck: Record<string, string>;
}
export interface OperationView {
  phase?: string;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  /** `operation.initiatedBy.username` of the operation that ran; absent for automated ones. */
  by?: string;
}
export interface AppView {
  name: string;
  namespace: string;
  /** The owning ApplicationSet (same namespace: owner references cannot cross namespaces). */
  appSet: string;
  labels: Record<string, string>;
  destination: { server?: string; name?: string };
  sync?: string;
  revisions: string[];
  health?: string;
  healthMessage?: string;
  /** A top-level `operation` is set: a sync is asked for or running. */
  syncing: boolean;
  operationState?: OperationView;
  /** The app's automated sync policy prunes (RollingSync keeps `prune` when it syncs, as upstream does). */
  prune: boolean;
}

interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
export interface AppSetObject {
  metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string | Date; annotations?: Record<string, string> };
  spec?: { strategy?: { type?: string; rollingSync?: { steps?: unknown } } };
  status?: { applicationStatus?: unknown; conditions?: RawCondition[] };
}
export interface AppObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string }[];
  };
  spec?: { destination?: { server?: string; name?: string }; syncPolicy?: { automated?: { prune?: boolean } } };
  operation?: unknown;
  status?: {
    sync?: { status?: string; revision?: string; revisions?: unknown };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      startedAt?: string;
      finishedAt?: string;
      message?: string;
      operation?: { initiatedBy?: { username?: string; automated?: boolean } };
    } | null;
  };
}

const MAX_MESSAGE = 500;
const text = (s: unknown): string | undefined => (typeof s === 'string' && s !== '' ? s : undefined);
const cut = (s: string | undefined) => (s && s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);
const time = (s: unknown): string | undefined => {
  const v = s instanceof Date ? s.toISOString() : text(s);
  return v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : []);
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function maxUpdateOf(v: unknown): number | string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function stepsOf(raw: unknown): StepView[] {
  return (Array.isArray(raw) ? raw : []).map((s) => {
    const step = record(s);
    const max = maxUpdateOf(step.maxUpdate);
    const exprs = Array.isArray(step.matchExpressions) ? step.matchExpressions : [];
    return {
      matchExpressions: exprs.map((e) => {
        const x = record(e);
        return {
          key: typeof x.key === 'string' ? x.key : '',
          operator: typeof x.operator === 'string' ? x.operator : '',
          values: strings(x.values),
        };
      }),
      ...(max !== undefined && { maxUpdate: max }),
    };
  });
}

const STATUSES = new Set<string>(['Waiting', 'Pending', 'Progressing', 'Healthy']);
function appStatusOf(raw: unknown): AppStatusView[] {
  return (Array.isArray(raw) ? raw : []).flatMap((r) => {
    const s = record(r);
    if (!text(s.application) || typeof s.status !== 'string' || !STATUSES.has(s.status)) return [];
    const step = typeof s.step === 'string' && /^-?\d+$/.test(s.step) ? Number(s.step) : undefined;
    const at = time(s.lastTransitionTime);
    const message = cut(text(s.message));
    return [
      {
        application: s.application as string,
        status: s.status as ProgressiveStatus,
        ...(step !== undefined && { step }),
        ...(message && { message }),
        ...(at && { lastTransitionTime: at }),
        targetRevisions: strings(s.targetRevisions),
      },
    ];
  });
}

function conditionsOf(raw: RawCondition[] | undefined): Condition[] {
  return (Array.isArray(raw) ? raw : []).flatMap((c) => {
    if (!text(c.type) || (c.status !== 'True' && c.status !== 'False' && c.status !== 'Unknown')) return [];
    const at = time(c.lastTransitionTime);
    return [
      {
        type: c.type!,
        status: c.status,
        ...(text(c.reason) && { reason: c.reason }),
        ...(text(c.message) && { message: cut(c.message) }),
        ...(at && { lastTransitionTime: at }),
      },
    ];
  });
}

export function appSetView(obj: AppSetObject): AppSetView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  const strategy = obj.spec?.strategy;
  if (!name || !namespace || strategy?.type !== 'RollingSync') return undefined;
  const steps = stepsOf(strategy.rollingSync?.steps);
  if (steps.length === 0) return undefined;
  const fleetdeck: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.metadata?.annotations ?? {}))
    if (k.startsWith('fleetdeck.dev/') && typeof v === 'string') fleetdeck[k] = v;
  const createdAt = time(obj.metadata?.creationTimestamp);
  return {
    name,
    namespace,
    ...(text(obj.metadata?.uid) && { uid: obj.metadata!.uid }),
    ...(createdAt && { createdAt }),
    steps,
    applicationStatus: appStatusOf(obj.status?.applicationStatus),
    conditions: conditionsOf(obj.status?.conditions),
    fleetdeck,
  };
}

export function appView(obj: AppObject): AppView | undefined {
  const { name, namespace } = obj.metadata ?? {};
  const owner = (obj.metadata?.ownerReferences ?? []).find((o) => o.kind === 'ApplicationSet' && o.apiVersion?.startsWith('argoproj.io/'));
  if (!name || !namespace || !owner?.name) return undefined;
  const st = obj.status ?? {};
  const op = st.operationState;
  const by = text(op?.operation?.initiatedBy?.username);
  const operationState: OperationView | undefined = op
    ? {
        ...(text(op.phase) && { phase: op.phase }),
        ...(time(op.startedAt) && { startedAt: time(op.startedAt) }),
        ...(time(op.finishedAt) && { finishedAt: time(op.finishedAt) }),
        ...(text(op.message) && { message: cut(op.message) }),
        ...(by && op.operation?.initiatedBy?.automated !== true && { by }),
      }
    : undefined;
  const revisions = strings(st.sync?.revisions);
  const dest = obj.spec?.destination ?? {};
  return {
    name,
    namespace,
    appSet: owner.name,
    labels: { ...(obj.metadata?.labels ?? {}) },
    destination: { ...(text(dest.server) && { server: dest.server }), ...(text(dest.name) && { name: dest.name }) },
    ...(text(st.sync?.status) && { sync: st.sync!.status }),
    revisions: revisions.length > 0 ? revisions : strings([st.sync?.revision]),
    ...(text(st.health?.status) && { health: st.health!.status }),
    ...(text(st.health?.message) && { healthMessage: cut(st.health!.message) }),
    syncing: obj.operation !== undefined && obj.operation !== null,
    ...(operationState && { operationState }),
    prune: obj.spec?.syncPolicy?.automated?.prune === true,
  };
}
