import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { FleetPanel } from './fleet-panel.tsx';
import { fleetHealthPanelsQuery } from './health-queries.ts';
import { describeView, type HealthView } from './health-window.ts';
import { PanelNotes } from './panel-notes.tsx';
import { RangePicker } from './range-picker.tsx';
import { RefreshControl } from './refresh-control.tsx';
import { useHealthWindow } from './use-health-window.ts';

/**
 * The fleet's health: the nine panels over every cluster the person may see, one
 * request for the set. The window and the paused state live in the URL. A panel that
 * failed says so on its own; a failed request keeps the last answer on screen.
 */
export function HealthPage() {
  const { view, paused, setView, setPaused } = useHealthWindow();
  const query = useQuery(fleetHealthPanelsQuery(view, paused));
  const queryClient = useQueryClient();
  const changeView = (next: HealthView) => {
    // Asked for at the click: the request no longer waits for the router and React to render
    // the new URL first (~15 ms of a range change in Chromium); the page's query then joins it.
    void queryClient.prefetchQuery(fleetHealthPanelsQuery(next, paused));
    setView(next);
  };
  const data = query.data;
  const over = view.kind === 'preset' ? view.range : describeView(view);
  // The panels describe the data they show: while a new range loads, the last answer stays up
  // with its own span, and the panels (memoised) are not drawn again for nothing.
  const [shown, setShown] = useState({ data, over });
  if (data && !query.isPlaceholderData && shown.data !== data) setShown({ data, over });
  const dataOver = shown.data === data ? shown.over : over;
  return (
    <section
      aria-labelledby="page-title"
      className="space-y-4"
      data-testid="health-page"
      data-window={data && `${data.window.from}/${data.window.to}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="page-title" className="text-xl font-semibold">
          Health panels
        </h1>
        <RefreshControl
          paused={paused}
          custom={view.kind === 'custom'}
          updatedAt={data?.at}
          fetching={query.isFetching}
          onPausedChange={setPaused}
          onRefresh={() => void query.refetch()}
        />
      </div>
      <RangePicker view={view} onChange={changeView} />
      {query.isPending && <Loading label="Loading health panels…" />}
      {query.isError && (
        <ErrorPanel
          title={data ? 'Health could not be updated; showing the last answer' : 'Health could not be loaded'}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      )}
      {data && (
        <>
          <PanelNotes errors={data.errors} warnings={[]} />
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {data.clusters.toLocaleString('en')} clusters, {describeView(view)}
            {query.isPlaceholderData && ' (loading the new range…)'}
          </p>
          {data.panels.length === 0 ? (
            <Empty title="No health panels">No panel is configured, or none is available to you.</Empty>
          ) : (
            <div className="grid gap-4">
              {data.panels.map((p) => (
                <FleetPanel key={p.def.id} panel={p} window={data.window} over={dataOver} />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}
