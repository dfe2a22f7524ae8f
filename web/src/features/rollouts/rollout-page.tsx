import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { AlertTriangle, ArrowLeft } from 'lucide-react';

import { ApiError } from '../../api/client.ts';
import { rolloutQuery } from '../../api/queries.ts';
import { ConditionsTable } from '../../components/conditions-table.tsx';
import { LiveBadge } from '../../components/live-badge.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { paths } from '../../config/paths.ts';
import { ApprovalPanel } from './approval-panel.tsx';
import { PolicyPanel } from './policy-panel.tsx';
import { ReadinessPanel } from './readiness-panel.tsx';
import { RolloutActions } from './rollout-actions.tsx';
import { RolloutHeader } from './rollout-header.tsx';
import { RolloutHistory } from './rollout-history.tsx';
import { useRolloutEvents } from './use-rollout-events.ts';
import { WaveTimeline } from './wave-timeline.tsx';

const route = getRouteApi('/app/rollouts/$id');

/**
 * One rollout, live: every event naming it refetches it in the background, and the page
 * keeps showing what it has meanwhile (nothing blanks or flickers on a wall screen).
 * When it answers 404 it is gone (deleted, or no longer one this person may see).
 */
export function RolloutPage() {
  const { id } = route.useParams();
  const { readiness: pickedWave } = route.useSearch();
  const navigate = route.useNavigate();
  const rollout = useQuery(rolloutQuery(id));
  const live = useRolloutEvents();
  const gone = rollout.error instanceof ApiError && rollout.error.status === 404;
  const r = gone ? undefined : rollout.data;
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <Link to={paths.rollouts} className="inline-flex items-center gap-1 text-sm text-teal-800 hover:underline dark:text-teal-300">
        <ArrowLeft aria-hidden className="size-4" /> Rollouts
      </Link>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          {r?.name ?? 'Rollout'}
        </h1>
        <LiveBadge state={live.state} />
      </div>
      {rollout.isPending && <Loading label="Loading the rollout…" />}
      {gone && (
        <Empty title={rollout.data ? 'This rollout is gone' : 'No such rollout'}>
          {rollout.data
            ? `${rollout.data.name} was deleted, or it no longer touches only clusters you may see.`
            : 'There is no rollout with this id that you may see.'}
        </Empty>
      )}
      {rollout.isError && !gone && !r && (
        <ErrorPanel title="This rollout could not be loaded" error={rollout.error} onRetry={() => void rollout.refetch()} />
      )}
      {r && (
        <>
          {rollout.isError && (
            <p role="status" className="flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
              <AlertTriangle aria-hidden className="size-4" />
              Could not refresh ({rollout.error.message}); showing what was last known.
            </p>
          )}
          <RolloutHeader rollout={r} />
          {r.errors.length > 0 && (
            <p role="status" className="flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
              <AlertTriangle aria-hidden className="size-4" />
              Partly unavailable: {r.errors.map((e) => `${e.source}: ${e.reason}`).join('; ')}
            </p>
          )}
          <div className="grid items-start gap-4 lg:grid-cols-2">
            <ApprovalPanel rollout={r} />
            <ReadinessPanel
              rollout={r}
              wave={pickedWave ?? r.awaitingApproval?.wave}
              onPickWave={(wave) => void navigate({ search: { readiness: wave || undefined }, replace: true })}
            />
          </div>
          <WaveTimeline waves={r.waves} currentWave={r.currentWave} />
          <RolloutActions rollout={r} />
          <div className="grid gap-4 lg:grid-cols-2">
            <PolicyPanel policy={r.policy} />
            <ConditionsTable conditions={r.conditions} />
          </div>
          <RolloutHistory entries={r.history} />
        </>
      )}
    </section>
  );
}
