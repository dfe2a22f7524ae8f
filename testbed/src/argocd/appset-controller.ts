import type { ArgoApp } from './app-controller.ts';
import type { RollingSyncApp, RollingSyncPlan } from './rolling-sync.ts';
import { SIMULATE_ANNOTATION } from './seed.ts';

/**
 * The testbed Argo CD stand-in's ApplicationSet controller (a simulation for tests; not
 * part of Fleetdeck): it generates a set's Applications from its `list` generators (the
 * only generator the testbed uses; `{{key}}` placeholders as Argo CD's fasttemplate
 * renders them) and, for `strategy.type: RollingSync`, turns a plan (rolling-sync.ts)
 * into writes.
 */
export interface ArgoAppSet {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [k: string]: unknown };
  spec?: {
    generators?: { list?: { elements?: Record<string, string>[] } }[];
    template?: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
    strategy?: { type?: string; rollingSync?: unknown };
  };
  status?: { conditions?: Record<string, unknown>[]; applicationStatus?: Record<string, unknown>[]; [k: string]: unknown };
  [k: string]: unknown;
}

const render = (template: unknown, values: Record<string, string>): unknown =>
  JSON.parse(
    JSON.stringify(template).replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, key: string) =>
      values[key] === undefined ? whole : JSON.stringify(values[key]).slice(1, -1),
    ),
  );

/** The Applications the set's list generators make, owned by the set (never synced yet: OutOfSync and Missing). */
export function generateApps(set: ArgoAppSet): ArgoApp[] {
  const template = set.spec?.template ?? {};
  const elements = (set.spec?.generators ?? []).flatMap((g) => g.list?.elements ?? []);
  return elements.map((values) => {
    const t = render(template, values) as { metadata?: { name?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> };
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        ...t.metadata,
        name: t.metadata?.name ?? '',
        namespace: set.metadata.namespace,
        annotations: { [SIMULATE_ANNOTATION]: JSON.stringify({ sync: 'OutOfSync', health: 'Missing', neverSynced: true }) },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'ApplicationSet',
            name: set.metadata.name,
            uid: set.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: t.spec ?? {},
    };
  });
}

/** Whether the app belongs to the set (its controller owner reference). */
export const ownedBy = (app: ArgoApp, set: ArgoAppSet): boolean =>
  ((app.metadata.ownerReferences as { kind?: string; uid?: string }[] | undefined) ?? []).some(
    (o) => o.kind === 'ApplicationSet' && o.uid === set.metadata.uid,
  );

/** What the planner is told of one app. */
export function rollingSyncApp(app: ArgoApp): RollingSyncApp {
  const sync = app.status?.sync?.status;
  return {
    name: app.metadata.name,
    labels: (app.metadata.labels as Record<string, string> | undefined) ?? {},
    sync: sync === 'Synced' || sync === 'OutOfSync' ? sync : 'Unknown',
    health: app.status?.health?.status ?? 'Unknown',
    syncing: Boolean(app.operation) || app.status?.operationState?.phase === 'Running',
  };
}

/** The app with an automated sync asked for, as the ApplicationSet controller does; undefined when one is already set. */
export function withAutomatedSync(app: ArgoApp): ArgoApp | undefined {
  if (app.operation) return undefined;
  const { operationState: _cleared, ...status } = app.status ?? {};
  return { ...app, operation: { initiatedBy: { automated: true }, sync: { syncStrategy: { hook: {} } } } as ArgoApp['operation'], status };
}

/** The set's status after a plan, or undefined when unchanged (so an idle set is not rewritten every tick). */
export function appSetStatus(set: ArgoAppSet, plan: RollingSyncPlan, now: Date): ArgoAppSet['status'] | undefined {
  const previous = set.status?.conditions?.find((c) => c.type === 'RolloutProgressing');
  const status = plan.progressing ? 'True' : 'False';
  const reason = plan.progressing ? 'ApplicationSetModified' : 'ApplicationSetRolloutComplete';
  const same = previous && previous.status === status && previous.message === plan.message;
  const condition = same
    ? previous
    : { type: 'RolloutProgressing', status, reason, message: plan.message, lastTransitionTime: now.toISOString() };
  const next = {
    ...set.status,
    applicationStatus: plan.applicationStatus,
    conditions: [...(set.status?.conditions ?? []).filter((c) => c.type !== 'RolloutProgressing'), condition],
  };
  return JSON.stringify(next) === JSON.stringify(set.status ?? {}) ? undefined : next;
}
