import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';

import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { RangePicker } from '../health/range-picker.tsx';
import { downloadLines, type DownloadFormat } from './download.ts';
import { LabelBrowser } from './label-browser.tsx';
import { LiveTailStatus } from './live-tail-status.tsx';
import { LogDetail } from './log-detail.tsx';
import type { LogEntry } from './log-entries.ts';
import { LogList } from './log-list.tsx';
import { LogsToolbar } from './logs-toolbar.tsx';
import { LINES_LIMIT, logLinesQuery } from './logs-queries.ts';
import { ALL_STREAMS, isLogQuery, lineFilterTexts } from './logql-text.ts';
import { QueryEditor } from './query-editor.tsx';
import { newestFirst } from './tail-buffer.ts';
import { useLiveTail } from './use-live-tail.ts';
import { useLogsSearch } from './use-logs-search.ts';
import { VolumeChart } from './volume-chart.tsx';

const NO_ENTRIES: LogEntry[] = [];

/**
 * Logs of the clusters and namespaces the person may read (the BFF enforces their scope
 * in every query): browse labels or write LogQL, see the volume by level over the window,
 * read the lines (virtualised), open one for its labels and context, follow new lines
 * live. Query, window and live state live in the URL, so a view is shared by its link.
 */
export function LogsPage() {
  const { search, view, update, setView } = useLogsSearch();
  const query = search.query ?? ALL_STREAMS;
  const logQuery = isLogQuery(query);
  const live = search.live !== undefined && logQuery;
  const lines = useQuery({ ...logLinesQuery(query, view), enabled: logQuery });
  // The tail starts once the window's lines are in (or failed): it continues from the newest of them, without a gap or a replay.
  const linesSettled = lines.isError || (lines.isSuccess && !lines.isPlaceholderData);
  const tail = useLiveTail(query, live && linesSettled, lines.data?.entries ?? NO_ENTRIES);
  const [selected, setSelected] = useState<LogEntry | undefined>();
  const [wrap, setWrap] = useState(false);
  const [prettify, setPrettify] = useState(false);
  const [find, setFind] = useState('');
  const needles = useMemo(() => [...lineFilterTexts(query), ...(find.trim() ? [find.trim()] : [])], [query, find]);
  const shown = useMemo(
    () => (live ? tail.snapshot.lines : newestFirst(lines.data?.entries ?? NO_ENTRIES)),
    [live, tail.snapshot, lines.data],
  );
  const run = useCallback((q: string) => update({ query: q }), [update]);
  const narrow = useCallback(
    (from: number, to: number) => setView({ kind: 'custom', from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    [setView],
  );
  const onOpen = useCallback((e: LogEntry) => setSelected((s) => (s?.id === e.id ? undefined : e)), []);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Logs
        </h1>
        <RangePicker view={view} onChange={setView} />
      </div>
      <LabelBrowser view={view} onUse={run} />
      <QueryEditor query={query} onRun={run} />
      {!logQuery ? (
        <Empty title="This is a metric query">The list shows log queries (starting with a stream selector such as {ALL_STREAMS}).</Empty>
      ) : (
        <>
          <section aria-labelledby="log-volume-title" className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <h2 id="log-volume-title" className="text-sm font-semibold">
              Log volume by level
            </h2>
            <VolumeChart query={query} view={view} onNarrow={narrow} />
          </section>
          <LogsToolbar
            live={live}
            paused={tail.snapshot.paused}
            pending={tail.snapshot.pending}
            onLive={(on) => update({ live: on ? 1 : undefined })}
            onPause={tail.pause}
            onResume={tail.resume}
            onClear={tail.clear}
            wrap={wrap}
            onWrap={setWrap}
            prettify={prettify}
            onPrettify={setPrettify}
            find={find}
            onFind={setFind}
            onDownload={(format: DownloadFormat) => downloadLines(shown, format)}
            lineCount={shown.size}
          />
          {live && <LiveTailStatus tail={tail} />}
          {lines.isPending && <Loading label="Asking Loki for lines…" />}
          {!live && lines.isError && (
            <ErrorPanel title="The lines could not be loaded" error={lines.error} onRetry={() => void lines.refetch()} />
          )}
          {!live && lines.data && (
            <p className="text-sm text-slate-600 dark:text-slate-300" aria-live="polite">
              {lines.data.entries.length.toLocaleString('en')} lines
              {lines.data.truncated &&
                ` (the newest ${LINES_LIMIT.toLocaleString('en')}: narrow the window or the query to see older ones)`}
              {lines.isFetching && ' · updating…'}
            </p>
          )}
          {(live || lines.data) && (
            <LogList
              lines={shown}
              added={live ? tail.snapshot.added : undefined}
              ticking={live}
              selectedId={selected?.id}
              wrap={wrap}
              prettify={prettify}
              needles={needles}
              onOpen={onOpen}
              empty={
                <Empty title={live ? 'Waiting for new lines' : 'No lines in this window'}>
                  {live ? 'New lines appear here as they are written.' : 'Try a longer window or a wider query.'}
                </Empty>
              }
            />
          )}
          {selected && (
            <LogDetail entry={selected} needles={needles} prettify={prettify} onClose={() => setSelected(undefined)} onShowStream={run} />
          )}
        </>
      )}
    </section>
  );
}
