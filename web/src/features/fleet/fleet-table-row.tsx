import { Link } from '@tanstack/react-router';
import type { CSSProperties } from 'react';

import type { FleetHealth, FleetRollouts } from '@fleetdeck/shared';

import { ClusterStateBadge, SyncBadge } from '../../components/cluster-state.tsx';
import { HealthBadges } from '../../components/health-badges.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { paths } from '../../config/paths.ts';
import { COLUMNS, GRID } from './fleet-columns.ts';
import type { Row } from './select.ts';

/** The attributes every row carries: ARIA position, roving tabindex, and its place in the virtual list. */
export interface RowProps {
  role: 'row';
  'aria-rowindex': number;
  'data-index': number;
  tabIndex: number;
  onFocus: () => void;
  style: CSSProperties;
}

export function rolloutText(runs: FleetRollouts['clusters'][string] | undefined): string {
  if (!runs || runs.length === 0) return '—';
  const waiting = runs.filter((r) => r.state === 'Waiting').length;
  return `${runs.length} active${waiting > 0 ? `, ${waiting} awaiting approval` : ''}`;
}

/** The rollout cell: a link to the run when the cluster is in one the person may open, to the list when in several. */
function RolloutCell({ runs }: { runs: FleetRollouts['clusters'][string] | undefined }) {
  const text = rolloutText(runs);
  const linked = runs?.filter((r) => r.id !== undefined) ?? [];
  const link = 'text-teal-800 hover:underline dark:text-teal-300';
  if (linked.length === 1 && linked[0]!.id) {
    return (
      <Link to={paths.rollout} params={{ id: linked[0]!.id }} tabIndex={-1} title={`Rollout ${linked[0]!.run}`} className={link}>
        {text}
      </Link>
    );
  }
  if (linked.length > 1) {
    return (
      <Link to={paths.rollouts} tabIndex={-1} title="Rollouts" className={link}>
        {text}
      </Link>
    );
  }
  return text;
}

/** One row of the fleet table: a tenant heading, an environment heading, or a cluster. */
export function FleetTableRow({
  row,
  common,
  health,
  rollouts,
}: {
  row: Row;
  common: RowProps;
  health: FleetHealth | undefined;
  rollouts: FleetRollouts | undefined;
}) {
  if (row.kind === 'tenant') {
    return (
      <div
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
      {...common}
      data-testid="cluster-row"
      data-cluster={c.name}
      data-tenant={c.tenant}
      className={`${GRID} border-t border-slate-100 px-3 hover:bg-slate-50 focus:bg-teal-50 dark:border-slate-800 dark:hover:bg-slate-900 dark:focus:bg-slate-800`}
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
      <span role="cell" className="truncate text-xs">
        <RolloutCell runs={rollouts?.clusters[c.name]} />
      </span>
      <span role="cell">
        <SyncBadge state={c.sync.state} drifted={c.sync.driftedResources} />
      </span>
      <span role="cell">{c.labels.region ?? '—'}</span>
      <span role="cell">{c.lastHeartbeat ? <RelativeTime iso={c.lastHeartbeat} /> : '—'}</span>
    </div>
  );
}
