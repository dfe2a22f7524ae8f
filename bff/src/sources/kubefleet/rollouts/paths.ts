import type { KfScope } from './kf-objects.ts';
import { PLACEMENT_GROUP } from './version-adapter.ts';

type Plural = 'stagedupdateruns' | 'approvalrequests';

/** The collection of runs or approval requests of a scope: cluster-scoped kinds carry the `cluster` prefix. */
export function collectionPath(version: string, scope: KfScope, namespace: string | undefined, plural: Plural): string {
  if (scope === 'cluster') return `/apis/${PLACEMENT_GROUP}/${version}/cluster${plural}`;
  if (!namespace) throw new Error('a namespaced KubeFleet object needs its namespace');
  return `/apis/${PLACEMENT_GROUP}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

export const approvalsKind = (scope: KfScope) => (scope === 'cluster' ? 'ClusterApprovalRequest' : 'ApprovalRequest');
export const runsKind = (scope: KfScope) => (scope === 'cluster' ? 'ClusterStagedUpdateRun' : 'StagedUpdateRun');
