import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { AlertTriangle, Radio, Search, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';

import { ClusterState, type FleetHealth, type FleetRollouts, type Facets } from '@fleetdeck/shared';

import { fleetHealthQuery, fleetRolloutsQuery, fleetTreeQuery } from '../../api/queries.ts';
import { HealthBadges } from '../../components/health-badges.tsx';
import { ClusterStateBadge, SyncBadge } from '../../components/cluster-state.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { paths } from '../../config/paths.ts';
import { selectRows, tryParseSelector, type Row } from './select.ts';
import { useFleetEvents, type LiveState } from './use-fleet-events.ts';

const route = getRouteApi('/app/fleet');
const ROW_HEIGHT = { tenant: 44, environment: 34, cluster: 40 } as const;
const COLUMNS = ['Cluster', 'Status', 'Health', 'Violations', 'Rollouts', 'GitOps', 'Region', 'Heartbeat'];

export function FleetPage() {
  const { selector: selectorText = '', state } = route.useSearch();
  const navigate = route.useNavigate();
  const fleet = useQuery(fleetTreeQuery());
  const health = useQuery(fleetHealthQuery());
  const rollouts = useQuery(fleetRolloutsQuery());
  const live = useFleetEvents();
  // Keep the text being typed separate from the URL, so an invalid selector can be shown and fixed.
  const [draft, setDraft] = useState(selectorText);
  const [urlSelector, setUrlSelector] = useState(selectorText);
  if (selectorText !== urlSelector) {
    // The URL changed under us (back/forward, a shared link): show what it says.
    setUrlSelector(selectorText);
    setDraft(selectorText);
  }
  const parsed = useMemo(() => tryParseSelector(draft), [draft]);
  const selection = useMemo(
    () => (fleet.data && parsed.ok ? selectRows(fleet.data, parsed.selector, state) : undefined),
    [fleet.data, parsed, state],
  );

  // The table follows every keystroke at once; the URL (and the router's work) follows
  // when typing pauses, so a keystroke never waits on navigation.
  const urlTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Leaving the page within the pause must not navigate back to it.
  useEffect(() => () => clearTimeout(urlTimer.current), []);
  const onSelectorChange = (text: string) => {
    setDraft(text);
    clearTimeout(urlTimer.current);
    if (!tryParseSelector(text).ok) return;
    urlTimer.current = setTimeout(() => {
      setUrlSelector(text);
      void navigate({ search: (prev) => ({ ...prev, selector: text || undefined }), replace: true });
    }, 250);
  };
  const addTerm = (term: string) => onSelectorChange(draft.trim() ? `${draft.trim()}, ${term}` : term);
  const hubError = fleet.data?.errors.find((e) => e.source === 'hub');

  return (
    <section aria-labelledby="page-title">
      <div className="mb-3 flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Fleet
        </h1>
        {fleet.data && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {selection ? `${selection.clusters.length} of ` : ''}
            {fleet.data.visibleCount} clusters · inventory synced <RelativeTime iso={fleet.data.syncedAt} />
          </p>
        )}
        <LiveBadge state={live.state} />
      </div>

      <div className="mb-3">
        <label htmlFor="selector" className="mb-1 block text-sm font-medium">
          Cluster selector
        </label>
        <div
          className={`flex items-center gap-2 rounded border px-2 py-1 ${parsed.ok ? 'border-slate-300 dark:border-slate-700' : 'border-red-600'}`}
        >
          <Search aria-hidden className="size-4 text-slate-500" />
          <input
            id="selector"
            type="search"
            value={draft}
            spellCheck={false}
            autoComplete="off"
            placeholder="env=production, region in (us-east,us-west), edge-clusters/*, prod-*, annotation:compliance=pci"
            aria-invalid={!parsed.ok}
            aria-describedby="selector-help"
            onChange={(e) => onSelectorChange(e.target.value)}
            className="w-full bg-transparent font-mono text-sm outline-none"
          />
          {draft && (
            <button
              type="button"
              aria-label="Clear selector"
              onClick={() => onSelectorChange('')}
              className="rounded p-0.5 hover:bg-slate-200 dark:hover:bg-slate-800"
            >
              <X aria-hidden className="size-4" />
            </button>
          )}
        </div>
        <p
          id="selector-help"
          className={`mt-1 text-xs ${parsed.ok ? 'text-slate-600 dark:text-slate-400' : 'text-red-700 dark:text-red-400'}`}
          role={parsed.ok ? undefined : 'alert'}
        >
          {parsed.ok ? (
            'Labels (env=production, tier in (edge,canary), !team), names (prod-*), groups (edge-clusters/*, or a tenant id followed by /*), annotations (annotation:compliance=pci); commas mean AND.'
          ) : (
            <>
              {parsed.message}: <code className="font-mono">{draft.slice(0, parsed.position)}</code>
              <mark className="bg-red-200 font-mono dark:bg-red-900">{draft.slice(parsed.position, parsed.position + 1) || '␣'}</mark>
            </>
          )}
        </p>
      </div>

      {selection && (
        <FacetBar
          facets={selection.facets}
          state={state}
          onPick={addTerm}
          onState={(s) => void navigate({ search: (prev) => ({ ...prev, state: s }), replace: true })}
        />
      )}

      {hubError && (
        <div
          role="status"
          className="mb-3 flex items-center gap-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <AlertTriangle aria-hidden className="size-4" />
          The hub is not answering ({hubError.reason}); showing the last known inventory.
        </div>
      )}
      {fleet.isPending && <Loading label="Loading the fleet…" />}
      {fleet.isError && <ErrorPanel title="The fleet could not be loaded" error={fleet.error} onRetry={() => void fleet.refetch()} />}
      {fleet.data && fleet.data.visibleCount === 0 && (
        <Empty title="No clusters to show">None of your roles covers a cluster in this fleet yet.</Empty>
      )}
      {selection && fleet.data && fleet.data.visibleCount > 0 && selection.rows.length === 0 && (
        <Empty title="No cluster matches this selection">Change or clear the selector to see more clusters.</Empty>
      )}
      {(health.isError || (health.data && health.data.errors.length > 0)) && (
        <p role="status" className="mb-2 flex items-center gap-2 text-sm text-amber-800 dark:text-amber-300">
          <AlertTriangle aria-hidden className="size-4" />
          Health metrics are partly unavailable:{' '}
          {health.isError ? String((health.error as Error).message) : health.data.errors.map((e) => e.reason).join('; ')}
        </p>
      )}
      {selection && selection.rows.length > 0 && <FleetTable rows={selection.rows} health={health.data} rollouts={rollouts.data} />}
    </section>
  );
}

function LiveBadge({ state }: { state: LiveState }) {
  const text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', paused: 'Paused (tab hidden)' }[state];
  const color = state === 'live' ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400';
  return (
    <span className={`ml-auto inline-flex items-center gap-1 text-sm ${color}`} data-testid="live-state">
      <Radio aria-hidden className="size-4" />
      {text}
    </span>
  );
}

function FacetBar({
  facets,
  state,
  onPick,
  onState,
}: {
  facets: Facets;
  state: ClusterState | undefined;
  onPick: (term: string) => void;
  onState: (s: ClusterState | undefined) => void;
}) {
  const group = (title: string, counts: Record<string, number>, onClick: (value: string) => void, active?: string) => (
    <div className="flex flex-wrap items-center gap-1" role="group" aria-label={`${title} facets`}>
      <span className="text-xs font-medium uppercase text-slate-600 dark:text-slate-400">{title}</span>
      {Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([value, count]) => (
          <button
            key={value}
            type="button"
            aria-pressed={active === value}
            onClick={() => onClick(value)}
            className={`rounded-full border px-2 py-0.5 text-xs ${active === value ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`}
          >
            {value} <span className="tabular-nums">{count}</span>
          </button>
        ))}
    </div>
  );
  return (
    <div className="mb-3 flex flex-wrap gap-x-6 gap-y-2">
      {group('Environment', facets.environment, (v) => onPick(`env=${v}`))}
      {group('Region', facets.region, (v) => onPick(v === '(none)' ? '!region' : `region=${v}`))}
      {group('Status', facets.state, (v) => onState(state === v ? undefined : ClusterState.safeParse(v).data), state)}
    </div>
  );
}

function rolloutText(runs: FleetRollouts['clusters'][string] | undefined): string {
  if (!runs || runs.length === 0) return '—';
  const waiting = runs.filter((r) => r.state === 'Waiting').length;
  return `${runs.length} active${waiting > 0 ? `, ${waiting} awaiting approval` : ''}`;
}

/** A virtualised table: thousands of clusters scroll smoothly; arrow keys move between rows. */
function FleetTable({ rows, health, rollouts }: { rows: Row[]; health: FleetHealth | undefined; rollouts: FleetRollouts | undefined }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const [focused, setFocused] = useState(0);
  // TanStack Virtual hands out new functions every render, so the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library -- only the visible rows render, so re-rendering is cheap (see bench: web)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => ROW_HEIGHT[rows[i]!.kind],
    overscan: 20,
  });
  const focusRow = (i: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setFocused(next);
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = 10;
    const keys: Record<string, number> = {
      ArrowDown: focused + 1,
      ArrowUp: focused - 1,
      PageDown: focused + page,
      PageUp: focused - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in keys) {
      e.preventDefault();
      focusRow(keys[e.key]!);
    } else if (e.key === 'Enter') {
      const row = rows[focused];
      if (row?.kind === 'cluster') void navigate({ to: paths.cluster, params: { name: row.cluster.name } });
    }
  };
  const grid = 'grid grid-cols-[minmax(11rem,2fr)_7rem_minmax(13rem,1.5fr)_5rem_7rem_6rem_5rem_8rem] items-center gap-x-2';
  return (
    <div
      role="table"
      aria-label="Clusters"
      aria-rowcount={rows.length + 1}
      className="rounded-lg border border-slate-200 text-sm dark:border-slate-800"
    >
      <div role="rowgroup">
        <div
          role="row"
          aria-rowindex={1}
          className={`${grid} border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs uppercase text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300`}
        >
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        onKeyDown={onKeyDown}
        className="h-[min(70vh,calc(100vh-22rem))] min-h-[24rem] overflow-auto"
        data-testid="fleet-rows"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const common = {
              role: 'row',
              'aria-rowindex': item.index + 2,
              'data-index': item.index,
              tabIndex: item.index === focused ? 0 : -1,
              onFocus: () => setFocused(item.index),
              style: {
                position: 'absolute' as const,
                top: 0,
                left: 0,
                width: '100%',
                height: item.size,
                transform: `translateY(${item.start}px)`,
              },
            };
            if (row.kind === 'tenant') {
              return (
                <div
                  key={row.key}
                  {...common}
                  data-testid={`tenant-${row.tenant}`}
                  className="flex items-end gap-3 border-t border-slate-200 px-3 pb-1 focus:bg-teal-50 dark:border-slate-800 dark:focus:bg-slate-800"
                >
                  <span role="rowheader" aria-colspan={COLUMNS.length} className="text-base font-semibold">
                    {row.tenant}{' '}
                    <span className="text-sm font-normal text-slate-600 dark:text-slate-300">
                      {row.count} clusters{row.attention > 0 && ` · ${row.attention} need attention`}
                    </span>
                  </span>
                </div>
              );
            }
            if (row.kind === 'environment') {
              return (
                <div
                  key={row.key}
                  {...common}
                  className="flex items-center bg-slate-50 px-3 text-xs font-medium uppercase tracking-wide text-slate-600 focus:bg-teal-50 dark:bg-slate-900 dark:text-slate-300 dark:focus:bg-slate-800"
                >
                  <span role="rowheader" aria-colspan={COLUMNS.length}>
                    {row.environment} ({row.count})
                  </span>
                </div>
              );
            }
            const c = row.cluster;
            return (
              <div
                key={row.key}
                {...common}
                data-testid="cluster-row"
                data-cluster={c.name}
                data-tenant={c.tenant}
                className={`${grid} border-t border-slate-100 px-3 hover:bg-slate-50 focus:bg-teal-50 dark:border-slate-800 dark:hover:bg-slate-900 dark:focus:bg-slate-800`}
              >
                <span role="cell" className="truncate font-medium">
                  <Link to={paths.cluster} params={{ name: c.name }} tabIndex={-1} className="hover:underline">
                    {c.name}
                  </Link>
                </span>
                <span role="cell">
                  <ClusterStateBadge state={c.state} />
                </span>
                <span role="cell">
                  <HealthBadges health={health?.clusters[c.name]} />
                </span>
                <span role="cell" className="tabular-nums">
                  {health?.clusters[c.name]?.violations ?? '—'}
                </span>
                <span role="cell" className="text-xs">
                  {rolloutText(rollouts?.clusters[c.name])}
                </span>
                <span role="cell">
                  <SyncBadge state={c.sync.state} drifted={c.sync.driftedResources} />
                </span>
                <span role="cell">{c.labels.region ?? '—'}</span>
                <span role="cell">{c.lastHeartbeat ? <RelativeTime iso={c.lastHeartbeat} /> : '—'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
