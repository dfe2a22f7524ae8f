import { createHash } from 'node:crypto';

import { SIMULATE_ANNOTATION, type SimulatedState } from './seed.ts';

/**
 * The testbed Argo CD stand-in's application controller, one Application at a time (a
 * simulation for tests; not part of Fleetdeck). What it does, as Argo CD does it:
 * - first sight: computes status (sync, health, resources, history) — here from the seed's
 *   simulate annotation, as no cluster is really compared;
 * - `operation` set: `status.operationState` Running with the operation, then after
 *   `syncMs` Succeeded with `syncResult.revision`, the app Synced and Healthy, a history
 *   entry appended (last 10 kept), and `operation` cleared;
 * - refresh annotation (`argocd.argoproj.io/refresh`): reconciled (`reconciledAt`) and removed.
 * The CRD has no status subresource: every change is one update of the whole object.
 */
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
const HISTORY_LIMIT = 10;

export interface AppResource {
  kind: string;
  name: string;
  namespace?: string;
  status?: string;
  health?: { status?: string; message?: string };
}
export interface AppHistory {
  id: number;
  revision: string;
  deployedAt: string;
}
export interface OperationState {
  phase: string;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  operation?: unknown;
  syncResult?: { revision: string };
}
export interface ArgoApp {
  metadata: { name: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: { source?: { repoURL?: string; path?: string; targetRevision?: string }; [k: string]: unknown };
  operation?: { initiatedBy?: { username?: string; automated?: boolean }; sync?: { revision?: string } } | null;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: OperationState | null;
    history?: AppHistory[];
    reconciledAt?: string;
    resources?: AppResource[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** The commit a branch or tag "points at" in the testbed's imaginary repo (a stable fake sha). */
export function headOf(app: ArgoApp, previous = false): string {
  const s = app.spec?.source ?? {};
  return createHash('sha1')
    .update(`${s.repoURL ?? ''}|${s.path ?? ''}|${s.targetRevision ?? 'HEAD'}${previous ? '|previous' : ''}`)
    .digest('hex');
}

function simulated(app: ArgoApp): SimulatedState {
  const raw = app.metadata.annotations?.[SIMULATE_ANNOTATION];
  if (!raw) return { sync: 'Synced', health: 'Healthy' };
  try {
    return JSON.parse(raw) as SimulatedState;
  } catch {
    return { sync: 'Unknown', health: 'Unknown' };
  }
}

/** The status Argo CD would compute on its first reconcile of the app. */
function initialStatus(app: ArgoApp, now: Date): NonNullable<ArgoApp['status']> {
  const sim = simulated(app);
  const head = headOf(app);
  const deployed = sim.sync === 'Synced' ? head : headOf(app, true);
  const resource = sim.resource ?? { kind: 'Deployment', name: app.metadata.name, status: sim.sync, health: sim.health };
  const deployedAt = new Date(now.getTime() - 3_600_000).toISOString();
  return {
    ...app.status,
    sync: { status: sim.sync, revision: head },
    health: { status: sim.health },
    resources: [
      {
        kind: resource.kind,
        name: resource.name,
        ...(resource.namespace && { namespace: resource.namespace }),
        status: resource.status,
        health: { status: resource.health, ...(resource.message && { message: resource.message }) },
      },
    ],
    ...(!sim.neverSynced && { history: [{ id: 0, revision: deployed, deployedAt }] }),
    reconciledAt: now.toISOString(),
  };
}

/**
 * The app's next state, or undefined when nothing is to be written now. `syncMs`: how
 * long a sync runs before it succeeds.
 */
export function reconcileApp(app: ArgoApp, now: Date, syncMs = 1000): ArgoApp | undefined {
  const at = now.toISOString();
  if (!app.status?.reconciledAt) return { ...app, status: initialStatus(app, now) };
  const status = app.status;
  if (app.operation) {
    const state = status.operationState;
    if (state?.phase !== 'Running') {
      const operationState: OperationState = {
        phase: 'Running',
        startedAt: at,
        message: 'one or more tasks are running',
        operation: app.operation,
      };
      return { ...app, status: { ...status, operationState } };
    }
    if (now.getTime() - Date.parse(state.startedAt ?? at) < syncMs) return undefined;
    const revision = app.operation.sync?.revision || headOf(app);
    const history = [...(status.history ?? [])];
    history.push({ id: (history.at(-1)?.id ?? -1) + 1, revision, deployedAt: at });
    const { operation: _done, ...rest } = app;
    return {
      ...rest,
      status: {
        ...status,
        operationState: {
          ...state,
          phase: 'Succeeded',
          finishedAt: at,
          message: 'successfully synced (all tasks run)',
          syncResult: { revision },
        },
        sync: { status: 'Synced', revision },
        health: { status: 'Healthy' },
        resources: (status.resources ?? []).map((r) => ({ ...r, status: 'Synced', health: { status: 'Healthy' } })),
        history: history.slice(-HISTORY_LIMIT),
        reconciledAt: at,
      },
    };
  }
  const annotations = app.metadata.annotations ?? {};
  if (annotations[REFRESH_ANNOTATION] !== undefined) {
    const { [REFRESH_ANNOTATION]: _refreshed, ...kept } = annotations;
    return { ...app, metadata: { ...app.metadata, annotations: kept }, status: { ...status, reconciledAt: at } };
  }
  return undefined;
}
