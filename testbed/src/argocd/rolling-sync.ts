/**
 * The testbed Argo CD stand-in's progressive sync (ApplicationSet `strategy.type:
 * RollingSync`): which of a set's Applications to sync next, step by step, and the
 * `status.applicationStatus[]` to write. Pure: the stand-in reads the objects, calls this,
 * writes the status and syncs `toSync`.
 *
 * It follows upstream's controller (argo-cd applicationset/progressivesync/progressive_sync.go):
 * - an Application belongs to the first step whose `matchExpressions` all hold (operators
 *   `In`/`NotIn` only; a missing label fails `In` and passes `NotIn`); one matching no step is
 *   `step: "-1"` and never synced by the rollout;
 * - per Application: Waiting → (Synced: Healthy or Progressing at once) | Pending (chosen to
 *   sync) → Progressing (its sync started) → Healthy (Synced and Healthy); a new target
 *   revision sends it back to Waiting;
 * - step N's apps are chosen only when every app of every earlier step is Healthy (an empty
 *   step is done); at most `maxUpdate` of a step are Pending or Progressing at once (default
 *   100%; "N%" of the step's apps rounded down, at least 1 unless "0%"; `0` syncs none: those
 *   wait for a sync by hand — the only approval gate Argo CD has);
 * - the `RolloutProgressing` condition names the first step not wholly Healthy.
 */
export interface RollingSyncApp {
  name: string;
  labels: Record<string, string>;
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: string;
  /** An `operation` is set or running. */
  syncing: boolean;
  /** `status.sync.revision(s)`: when they differ from the recorded targetRevisions, there is a new version to roll out. */
  revisions?: string[];
  /** `status.operationState.startedAt` of the last sync, if any (tells a Pending app its sync started). */
  operationStartedAt?: string;
}

export interface RollingSyncPlan {
  /** Applications the stand-in should sync now (as the controller would). */
  toSync: string[];
  /** The ApplicationSet's new `status.applicationStatus[]`. */
  applicationStatus: Record<string, unknown>[];
  /** The `RolloutProgressing` condition's message, e.g. "performing rollout of step 2". */
  message: string;
  /** The condition's status: True while a step is not wholly Healthy. */
  progressing: boolean;
}

type Status = 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';
interface AppStatus {
  application: string;
  status: Status;
  step: string;
  message: string;
  lastTransitionTime: string;
  targetRevisions: string[];
}
interface MatchExpression {
  key: string;
  operator: string;
  values: string[];
}
interface Step {
  matchExpressions: MatchExpression[];
  maxUpdate: number | string | undefined;
}

const MSG = {
  noStatus: 'No Application status found, defaulting status to Waiting',
  changed: 'Application has pending changes, setting status to Waiting',
  syncedHealthy: 'Application resource has synced, updating status to Healthy',
  syncedProgressing: 'Application resource has synced, updating status to Progressing',
  pending: 'Application moved to Pending status, watching for the Application resource to start Progressing',
  started: 'Application resource became Progressing, updating status from Pending to Progressing',
  healthy: 'Application resource became Healthy, updating status from Progressing to Healthy',
};

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** The steps when the set rolls out with RollingSync and has any; otherwise none (AllAtOnce). */
export function rollingSyncSteps(appSet: Record<string, unknown>): Step[] {
  const strategy = record(record(appSet.spec).strategy);
  if (strategy.type !== 'RollingSync') return [];
  const steps = record(strategy.rollingSync).steps;
  if (!Array.isArray(steps)) return [];
  return steps.map((s) => {
    const step = record(s);
    const max = step.maxUpdate;
    return {
      matchExpressions: (Array.isArray(step.matchExpressions) ? step.matchExpressions : []).map((e) => {
        const x = record(e);
        return {
          key: typeof x.key === 'string' ? x.key : '',
          operator: typeof x.operator === 'string' ? x.operator : '',
          values: strings(x.values),
        };
      }),
      maxUpdate: typeof max === 'number' || typeof max === 'string' ? max : undefined,
    };
  });
}

/** Whether every expression holds for these labels (an unknown operator never matches). */
export function stepMatches(step: Pick<Step, 'matchExpressions'>, labels: Readonly<Record<string, string>>): boolean {
  return step.matchExpressions.every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && e.values.includes(value);
    if (e.operator === 'NotIn') return value === undefined || !e.values.includes(value);
    return false;
  });
}

/** How many of a step's `total` apps may be Pending or Progressing at once; undefined: no limit. */
export function maxUpdateOf(maxUpdate: number | string | undefined, total: number): number | undefined {
  if (maxUpdate === undefined) return undefined;
  if (typeof maxUpdate === 'number') return Math.max(0, Math.trunc(maxUpdate));
  const percent = /^(\d+)%$/.exec(maxUpdate.trim());
  // Upstream scales an unparsable string to 0, then lifts any string but "0%" to 1.
  const scaled = percent ? Math.floor((total * Number(percent[1])) / 100) : 0;
  return maxUpdate.trim() !== '0%' && scaled < 1 ? 1 : scaled;
}

function previousStatuses(appSet: Record<string, unknown>): Map<string, AppStatus> {
  const list = record(appSet.status).applicationStatus;
  const out = new Map<string, AppStatus>();
  for (const raw of Array.isArray(list) ? list : []) {
    const s = record(raw);
    if (typeof s.application !== 'string') continue;
    const status = (['Waiting', 'Pending', 'Progressing', 'Healthy'] as const).find((x) => x === s.status) ?? 'Waiting';
    out.set(s.application, {
      application: s.application,
      status,
      step: typeof s.step === 'string' ? s.step : '-1',
      message: typeof s.message === 'string' ? s.message : '',
      lastTransitionTime: typeof s.lastTransitionTime === 'string' ? s.lastTransitionTime : '',
      targetRevisions: strings(s.targetRevisions),
    });
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** One app's status after this pass (one transition at most, except Waiting straight to Healthy/Progressing). */
function nextStatus(app: RollingSyncApp, prev: AppStatus | undefined, step: number, at: string): AppStatus {
  const stepText = String(step < 0 ? -1 : step + 1);
  const revisions = app.revisions ?? prev?.targetRevisions ?? [];
  const moved = (status: Status, message: string): AppStatus => ({
    application: app.name,
    status,
    step: stepText,
    message,
    lastTransitionTime: at,
    targetRevisions: revisions,
  });
  let cur: AppStatus = prev ? { ...prev, step: stepText } : moved('Waiting', MSG.noStatus);
  // A new target revision, or (without revisions to compare) a Healthy app drifting out of sync: a new version to roll out.
  const changed =
    prev && (app.revisions ? !sameList(app.revisions, prev.targetRevisions) : prev.status === 'Healthy' && app.sync === 'OutOfSync');
  if (changed && !app.syncing) cur = moved('Waiting', MSG.changed);
  if (cur.status === 'Waiting') {
    if (app.sync === 'Synced')
      return app.health === 'Healthy' ? moved('Healthy', MSG.syncedHealthy) : moved('Progressing', MSG.syncedProgressing);
    return cur;
  }
  if (cur.status === 'Pending') {
    const startedAfter =
      app.operationStartedAt !== undefined &&
      cur.lastTransitionTime !== '' &&
      Date.parse(app.operationStartedAt) >= Date.parse(cur.lastTransitionTime);
    // Without operation times, a sync running or already done is the sign it started.
    if (app.syncing || startedAfter || (app.operationStartedAt === undefined && app.sync === 'Synced'))
      return moved('Progressing', MSG.started);
    return cur;
  }
  if (cur.status === 'Progressing' && app.sync === 'Synced' && app.health === 'Healthy') return moved('Healthy', MSG.healthy);
  return cur;
}

export function planRollingSync(appSet: Record<string, unknown>, apps: readonly RollingSyncApp[], now: Date): RollingSyncPlan {
  const steps = rollingSyncSteps(appSet);
  if (steps.length === 0) return { toSync: [], applicationStatus: [], message: '', progressing: false };
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const stepOf = new Map(apps.map((a) => [a.name, steps.findIndex((s) => stepMatches(s, a.labels))]));
  const prev = previousStatuses(appSet);
  const statuses = apps.map((a) => nextStatus(a, prev.get(a.name), stepOf.get(a.name) ?? -1, at));
  const byName = new Map(statuses.map((s) => [s.application, s]));

  // Steps open in order; the next opens only when every app of this one is Healthy.
  const open = new Set<number>();
  for (let i = 0; i < steps.length; i++) {
    open.add(i);
    const members = apps.filter((a) => stepOf.get(a.name) === i);
    if (!members.every((a) => byName.get(a.name)?.status === 'Healthy')) break;
  }

  for (let i = 0; i < steps.length; i++) {
    if (!open.has(i)) continue;
    const members = statuses.filter((s) => stepOf.get(s.application) === i);
    const limit = maxUpdateOf(steps[i]!.maxUpdate, members.length);
    let updating = members.filter((s) => s.status === 'Pending' || s.status === 'Progressing').length;
    for (const s of members) {
      if (s.status !== 'Waiting' || (limit !== undefined && updating >= limit)) continue;
      Object.assign(s, { status: 'Pending', message: MSG.pending, lastTransitionTime: at });
      updating++;
    }
  }

  const syncingNow = new Set(apps.filter((a) => a.syncing).map((a) => a.name));
  const toSync = statuses.filter((s) => s.status === 'Pending' && !syncingNow.has(s.application)).map((s) => s.application);
  const unfinished = steps.findIndex((_, i) => statuses.some((s) => stepOf.get(s.application) === i && s.status !== 'Healthy'));
  return {
    toSync,
    applicationStatus: statuses.map((s) => ({ ...s })),
    message: unfinished >= 0 ? `ApplicationSet is performing rollout of step ${unfinished + 1}` : 'ApplicationSet Rollout has completed',
    progressing: unfinished >= 0,
  };
}
