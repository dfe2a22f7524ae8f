import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';

import { clusterQuery } from '../../api/queries.ts';
import { ConditionsTable } from '../../components/conditions-table.tsx';
import { KeyValues } from '../../components/key-values.tsx';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import { paths } from '../../config/paths.ts';
import { ClusterDeliveriesSection } from '../deliveries/cluster-deliveries-section.tsx';
import { ClusterHealthSection } from '../health/cluster-health-section.tsx';
import { OpenLogsLink } from '../logs/open-logs-link.tsx';
import { ClusterRolloutsSection } from '../rollouts/cluster-rollouts-section.tsx';
import { ClusterViolationsSection } from '../violations/cluster-violations-section.tsx';
import { ClusterSummary } from './cluster-summary.tsx';
import { ClusterWorkloadsSection } from './cluster-workloads-section.tsx';

const route = getRouteApi('/app/fleet/clusters/$name');

/** One cluster: what the inventory says, then one section per area (each loads and fails on its own). */
export function ClusterPage() {
  const { name } = route.useParams();
  const cluster = useQuery(clusterQuery(name));
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <Link to={paths.fleet} className="inline-flex items-center gap-1 text-sm text-teal-800 hover:underline dark:text-teal-300">
        <ArrowLeft aria-hidden className="size-4" /> Fleet
      </Link>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 id="page-title" className="text-xl font-semibold">
          {name}
        </h1>
        <OpenLogsLink cluster={name} />
      </div>
      {cluster.isPending && <Loading label="Loading the cluster…" />}
      {cluster.isError && (
        <ErrorPanel title="This cluster could not be loaded" error={cluster.error} onRetry={() => void cluster.refetch()} />
      )}
      {cluster.data && (
        <>
          <ClusterSummary cluster={cluster.data} />
          <div className="grid gap-4 md:grid-cols-2">
            <KeyValues title="Labels" values={cluster.data.labels} />
            <KeyValues title="Annotations" values={cluster.data.annotations} />
          </div>
          <ConditionsTable conditions={cluster.data.conditions} />
          <ClusterWorkloadsSection name={name} />
          <ClusterViolationsSection name={name} />
          <ClusterRolloutsSection name={name} />
          <ClusterDeliveriesSection name={name} />
          <ClusterHealthSection name={name} />
        </>
      )}
    </section>
  );
}
