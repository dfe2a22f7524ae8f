import type { FleetRollouts } from '@fleetdeck/shared';

type RunState = FleetRollouts['clusters'][string][number]['state'];

/** The fields of a (Cluster)StagedUpdateRun this index reads; unknown fields are ignored. */
export interface StagedUpdateRunObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { state?: string };
  status?: {
    conditions?: { type?: string; status?: string; reason?: string }[];
    stagesStatus?: { clusters?: { clusterName?: string }[] }[];
  };
}

/** Which clusters an unfinished run touches, and in what state the run is. Finished runs touch none. */
export function activeRunClusters(run: StagedUpdateRunObject): { clusters: string[]; state: RunState } | undefined {
  const conds = run.status?.conditions ?? [];
  if (conds.some((c) => c.type === 'Succeeded')) return undefined;
  const clusters = (run.status?.stagesStatus ?? []).flatMap((s) =>
    (s.clusters ?? []).map((c) => c.clusterName).filter((n): n is string => !!n),
  );
  const progressing = conds.find((c) => c.type === 'Progressing');
  const state: RunState =
    run.spec?.state === 'Stop'
      ? 'Stopped'
      : progressing?.status === 'True'
        ? 'Progressing'
        : progressing?.reason === 'UpdateRunWaiting'
          ? 'Waiting'
          : 'Pending';
  return { clusters, state };
}
