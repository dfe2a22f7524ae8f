import {
  ArgoHealthStatus,
  ArgoOperationPhase,
  ArgoSyncStatus,
  deliveryId,
  type ArgoDetails,
  type DeliveryResource,
  type DeliveryTarget,
} from '@fleetdeck/shared';

import { argoStatus, repoProblem } from '../../../domain/delivery-state.ts';
import type { SourceDelivery } from '../delivery-source.ts';
import type { ApplicationView, AppResourceView } from './argocd-objects.ts';

/** Argo CD's own words, or Unknown for a state this version of Fleetdeck does not know. */
const syncOf = (s: string): ArgoSyncStatus => (ArgoSyncStatus.safeParse(s).success ? (s as ArgoSyncStatus) : 'Unknown');
const healthOf = (s: string): ArgoHealthStatus => (ArgoHealthStatus.safeParse(s).success ? (s as ArgoHealthStatus) : 'Unknown');

export interface TenantMapping {
  projectTenants: Readonly<Record<string, string>>;
  namespaceTenants: Readonly<Record<string, string>>;
}

/** An app's tenant: its project's, else its namespace's, else none (configuration: gitops.argocd). */
export const tenantOf = (app: Pick<ApplicationView, 'project' | 'namespace'>, m: TenantMapping): string | undefined =>
  m.projectTenants[app.project] ?? m.namespaceTenants[app.namespace];

function resource(r: AppResourceView): DeliveryResource {
  const state = [r.sync && r.sync !== 'Synced' ? r.sync : undefined, r.health && r.health !== 'Healthy' ? r.health : undefined]
    .filter(Boolean)
    .join(' / ');
  return {
    kind: r.kind,
    name: r.name,
    ...(r.namespace && { namespace: r.namespace }),
    state: state || `${r.sync ?? 'Unknown'} / ${r.health ?? 'Unknown'}`,
    ...(r.message && { message: r.message }),
  };
}

/** The last successful sync: the latest of the last history entry and a succeeded operation's end. */
function lastSyncAt(app: ApplicationView): string | undefined {
  const finished = app.operationState?.phase === 'Succeeded' ? app.operationState.finishedAt : undefined;
  const times = [app.lastDeployedAt, finished].filter((t): t is string => t !== undefined);
  return times.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}

/**
 * One Application as a delivery: its destination (mapped to an inventory cluster, or
 * none) is its one target. `applicationSet`: the set's name as the hub knows it by the
 * owner's uid (undefined: take the owner reference's name).
 */
export function mapApplication(
  app: ApplicationView,
  ctx: { cluster: string | undefined; tenants: TenantMapping; applicationSet?: string },
): SourceDelivery {
  const sync = syncOf(app.sync);
  const health = healthOf(app.health);
  const op = app.operationState;
  const failed = op?.phase === 'Failed' || op?.phase === 'Error';
  const last = lastSyncAt(app);
  const tenant = tenantOf(app, ctx.tenants);
  const targets: DeliveryTarget[] = ctx.cluster
    ? [
        {
          cluster: ctx.cluster,
          status: argoStatus(sync, health, failed),
          sync,
          health,
          ...(app.syncRevision && { appliedCommit: app.syncRevision }),
          ...(last && { lastSyncAt: last }),
          paused: false,
          ...((failed ? op?.message : app.healthMessage) && { message: failed ? op?.message : app.healthMessage }),
          resources: app.resources.map(resource),
          ...(app.resourcesCut > 0 && { resourcesCut: app.resourcesCut }),
        },
      ]
    : [];
  const phase = op && ArgoOperationPhase.safeParse(op.phase).success ? (op.phase as ArgoOperationPhase) : undefined;
  const applicationSet = ctx.applicationSet ?? app.owner?.name;
  const argocd: ArgoDetails = {
    project: app.project,
    sync,
    health,
    syncPending: app.operationSet,
    ...(op &&
      phase && {
        operation: {
          phase,
          ...(op.startedAt && { startedAt: op.startedAt }),
          ...(op.finishedAt && { finishedAt: op.finishedAt }),
          ...(op.message && { message: op.message }),
          ...(op.revision && { revision: op.revision }),
          ...(op.initiatedBy && { initiatedBy: op.initiatedBy }),
        },
      }),
    ...(applicationSet && { applicationSet }),
    destination: app.destination,
    unmapped: ctx.cluster === undefined,
    automated: app.automated,
    ...(app.reconciledAt && { reconciledAt: app.reconciledAt }),
  };
  return {
    id: deliveryId('argocd', app.namespace, app.name),
    engine: 'argocd',
    name: app.name,
    namespace: app.namespace,
    ...(tenant && { tenant }),
    labels: app.labels,
    repo: app.repo,
    ...(app.targetRevision && { revision: app.targetRevision }),
    paths: app.paths,
    ...(app.syncRevision && { renderedCommit: app.syncRevision }),
    paused: false,
    argocd,
    targets,
    ...(app.problem && { repoStatus: repoProblem(app.problem.type) }),
    ...(ctx.cluster && { destinationCluster: ctx.cluster }),
    ...(app.destination.namespace && { destinationNamespace: app.destination.namespace }),
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      name: app.name,
      namespace: app.namespace,
      ...(app.uid && { uid: app.uid }),
    },
    ...(Object.keys(app.annotations).length > 0 && { annotations: app.annotations }),
  };
}
