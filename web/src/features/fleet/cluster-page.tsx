import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, getRouteApi } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';

import type { Condition, HealthPanel, HealthRange } from '@fleetdeck/shared';

import { ApiError } from '../../api/client.ts';
import {
  clusterHealthQuery,
  clusterQuery,
  clusterViolationsQuery,
  clusterWorkloadsQuery,
  fleetHealthQuery,
  fleetRolloutsQuery,
} from '../../api/queries.ts';
import { Sparkline } from '../../components/sparkline.tsx';
import { HealthBadges } from '../../components/health-badges.tsx';
import { ClusterStateBadge, SyncBadge } from '../../components/cluster-state.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import { paths } from '../../config/paths.ts';

const route = getRouteApi('/app/fleet/clusters/$name');

function KeyValues({ title, values }: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby={`kv-${title}`} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id={`kv-${title}`} className="mb-2 font-semibold">
        {title}
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">None.</p>
      ) : (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {entries.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-mono text-slate-600 dark:text-slate-300">{k}</dt>
              <dd className="font-mono">{v}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Conditions({ conditions }: { conditions: Condition[] }) {
  return (
    <section aria-labelledby="conditions" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="conditions" className="mb-2 font-semibold">
        Conditions
      </h2>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {conditions.map((c) => (
            <tr key={c.type} className="border-t border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1 font-medium">
                {c.type}
              </th>
              <td>{c.status}</td>
              <td title={c.message}>{c.reason ?? '—'}</td>
              <td>{c.lastTransitionTime ? <RelativeTime iso={c.lastTransitionTime} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ClusterPage() {
  const { name } = route.useParams();
  const cluster = useQuery(clusterQuery(name));
  const health = useQuery(fleetHealthQuery());
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <Link to={paths.fleet} className="inline-flex items-center gap-1 text-sm text-teal-800 hover:underline dark:text-teal-300">
        <ArrowLeft aria-hidden className="size-4" /> Fleet
      </Link>
      <h1 id="page-title" className="text-xl font-semibold">
        {name}
      </h1>
      {cluster.isPending && <Loading label="Loading the cluster…" />}
      {cluster.isError && (
        <ErrorPanel title="This cluster could not be loaded" error={cluster.error} onRetry={() => void cluster.refetch()} />
      )}
      {cluster.data && (
        <>
          <div className="flex flex-wrap items-center gap-6 text-sm">
            <ClusterStateBadge state={cluster.data.state} />
            <SyncBadge state={cluster.data.sync.state} drifted={cluster.data.sync.driftedResources} />
            <span>
              Tenant <strong>{cluster.data.tenant}</strong> · environment <strong>{cluster.data.environment}</strong>
            </span>
            {cluster.data.lastHeartbeat && (
              <span>
                Last heartbeat <RelativeTime iso={cluster.data.lastHeartbeat} />
              </span>
            )}
            {cluster.data.groups.length > 0 && <span>Groups: {cluster.data.groups.join(', ')}</span>}
            {cluster.data.nodeCount !== undefined && <span>{cluster.data.nodeCount} nodes</span>}
            {cluster.data.kubernetesVersion && <span>Kubernetes {cluster.data.kubernetesVersion}</span>}
            <HealthBadges health={health.data?.clusters[name]} />
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            <KeyValues title="Labels" values={cluster.data.labels} />
            <KeyValues title="Annotations" values={cluster.data.annotations} />
          </div>
          <Conditions conditions={cluster.data.conditions} />
          <Workloads name={name} />
          <Violations name={name} />
          <Rollouts name={name} />
          <HealthPanels name={name} />
        </>
      )}
    </section>
  );
}

/**
 * A section read from the cluster itself, as the person (its API server's RBAC has the
 * last word): loading, "no connection" (404) and "not answering" (502) look the same
 * everywhere.
 */
function SpokeSection<T>({
  id,
  title,
  query,
  children,
}: {
  id: string;
  title: string;
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id={id} className="mb-2 font-semibold">
        {title}
      </h2>
      {query.isPending && <Loading label="Asking the cluster…" />}
      {query.error instanceof ApiError && query.error.status === 404 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{query.error.message}</p>
      ) : (
        query.isError && <ErrorPanel title="This cluster is not answering" error={query.error} onRetry={() => void query.refetch()} />
      )}
      {query.data !== undefined && children(query.data)}
    </section>
  );
}

function Workloads({ name }: { name: string }) {
  return (
    <SpokeSection id="workloads" title="Workloads" query={useQuery(clusterWorkloadsQuery(name))}>
      {(data) => (
        <>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
              <tr>
                <th scope="col">Namespace</th>
                <th scope="col">Running</th>
                <th scope="col">Pending</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {data.namespaces.map((n) => (
                <tr key={n.namespace} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 font-mono font-normal">
                    {n.namespace}
                  </th>
                  <td className="tabular-nums">{n.pods.running}</td>
                  <td className="tabular-nums">{n.pods.pending}</td>
                  <td className={`tabular-nums ${n.pods.failed > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
                    {n.pods.failed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.forbidden.length > 0 && (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">The cluster refused to show: {data.forbidden.join(', ')}.</p>
          )}
        </>
      )}
    </SpokeSection>
  );
}

function Violations({ name }: { name: string }) {
  return (
    <SpokeSection id="violations" title="Policy violations" query={useQuery(clusterViolationsQuery(name))}>
      {(data) => (
        <>
          {data.items.length === 0 && <p className="text-sm">No violations you may see.</p>}
          {data.items.length > 0 && (
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
                <tr>
                  <th scope="col">Engine</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((v, i) => (
                  <tr
                    key={`${v.policy}/${v.resource.namespace ?? ''}/${v.resource.name}/${i}`}
                    className="border-t border-slate-100 align-top dark:border-slate-800"
                  >
                    <td className="py-1">{v.engine}</td>
                    <th scope="row" className="font-normal">
                      {v.policy}
                    </th>
                    <td>{v.enforcementAction ?? '—'}</td>
                    <td className="font-mono text-xs">
                      {v.resource.kind} {v.resource.namespace ? `${v.resource.namespace}/` : ''}
                      {v.resource.name}
                    </td>
                    <td>{v.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.errors.length > 0 && (
            <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
              Partly unavailable: {data.errors.map((e) => e.reason).join('; ')}
            </p>
          )}
        </>
      )}
    </SpokeSection>
  );
}

function Rollouts({ name }: { name: string }) {
  const rollouts = useQuery(fleetRolloutsQuery());
  const runs = rollouts.data?.clusters[name] ?? [];
  return (
    <section aria-labelledby="rollouts" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="rollouts" className="mb-2 font-semibold">
        Current rollouts
      </h2>
      {rollouts.isPending && <Loading label="Loading rollouts…" />}
      {rollouts.isError && (
        <ErrorPanel title="Rollouts could not be loaded" error={rollouts.error} onRetry={() => void rollouts.refetch()} />
      )}
      {rollouts.data && runs.length === 0 && <p className="text-sm">No unfinished rollout includes this cluster.</p>}
      {runs.length > 0 && (
        <ul className="list-disc pl-5 text-sm">
          {runs.map((r, i) => (
            <li key={`${r.namespace ?? ''}/${r.run}/${i}`}>
              {r.run === 'restricted'
                ? 'A rollout that also covers clusters outside your view'
                : `${r.namespace ? `${r.namespace}/` : ''}${r.run}`}{' '}
              — {r.state}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const RANGES: HealthRange[] = ['1h', '6h', '24h'];

function formatValue(unit: HealthPanel['unit'], v: number): string {
  if (unit === 'ratio') return `${Math.round(v * 1000) / 10}%`;
  if (unit === 'bool') return v >= 1 ? 'up' : 'down';
  if (unit === 'perSecond') return `${Math.round(v * 100) / 100}/s`;
  return String(Math.round(v));
}

/** The brief's eight panels for this cluster over a range kept in the URL; each panel says why it has no data. */
function HealthPanels({ name }: { name: string }) {
  const { range = '6h' } = route.useSearch();
  const navigate = route.useNavigate();
  const health = useQuery(clusterHealthQuery(name, range));
  return (
    <section aria-labelledby="health" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="mb-2 flex items-center gap-3">
        <h2 id="health" className="font-semibold">
          Health
        </h2>
        <div role="group" aria-label="Time range" className="flex gap-1">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => void navigate({ search: (prev) => ({ ...prev, range: r }), replace: true })}
              className={`rounded border px-2 py-0.5 text-xs ${r === range ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      {health.isPending && <Loading label="Loading health…" />}
      {health.isError && <ErrorPanel title="Health could not be loaded" error={health.error} onRetry={() => void health.refetch()} />}
      {health.data && (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {health.data.panels.map((p) => {
            const samples = p.series[0]?.samples ?? [];
            const values = samples.map((s) => s[1]);
            const latest = values.at(-1);
            return (
              <figure key={p.id} className="min-w-0" data-testid={`panel-${p.id}`}>
                <figcaption className="flex items-baseline justify-between text-sm">
                  <span className="font-medium">{p.title}</span>
                  <span className="tabular-nums">{latest === undefined ? 'no data' : formatValue(p.unit, latest)}</span>
                </figcaption>
                {samples.length > 0 ? (
                  <Sparkline
                    samples={samples}
                    max={p.unit === 'ratio' || p.unit === 'bool' ? 1 : undefined}
                    label={`${p.title} over ${range}: now ${formatValue(p.unit, latest!)}, min ${formatValue(p.unit, Math.min(...values))}, max ${formatValue(p.unit, Math.max(...values))}`}
                  />
                ) : (
                  <p className="text-xs text-slate-600 dark:text-slate-300">{p.errors[0]?.reason ?? 'No samples in this range.'}</p>
                )}
              </figure>
            );
          })}
        </div>
      )}
    </section>
  );
}
