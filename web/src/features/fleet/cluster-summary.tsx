import { useQuery } from '@tanstack/react-query';

import type { Cluster } from '@fleetdeck/shared';

import { fleetHealthQuery } from '../../api/queries.ts';
import { ClusterStateBadge, SyncBadge } from '../../components/cluster-state.tsx';
import { HealthBadges } from '../../components/health-badges.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';

/** The cluster at a glance: state, GitOps sync, owner, heartbeat, size, version and health. */
export function ClusterSummary({ cluster }: { cluster: Cluster }) {
  const health = useQuery(fleetHealthQuery());
  return (
    <div className="flex flex-wrap items-center gap-6 text-sm">
      <ClusterStateBadge state={cluster.state} />
      <SyncBadge state={cluster.sync.state} drifted={cluster.sync.driftedResources} />
      <span>
        Tenant <strong>{cluster.tenant}</strong> · environment <strong>{cluster.environment}</strong>
      </span>
      {cluster.lastHeartbeat && (
        <span>
          Last heartbeat <RelativeTime iso={cluster.lastHeartbeat} />
        </span>
      )}
      {cluster.groups.length > 0 && <span>Groups: {cluster.groups.join(', ')}</span>}
      {cluster.nodeCount !== undefined && <span>{cluster.nodeCount} nodes</span>}
      {cluster.kubernetesVersion && <span>Kubernetes {cluster.kubernetesVersion}</span>}
      <HealthBadges health={health.data?.clusters[cluster.name]} />
    </div>
  );
}
