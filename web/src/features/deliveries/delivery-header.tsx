import { CirclePause } from 'lucide-react';
import type { ReactNode } from 'react';

import type { DeliverySummary } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { Commit } from './commit.tsx';
import { DeliveryStatusLabel } from './delivery-status.tsx';
import { ENGINE_LABEL, KIND_LABEL } from './engine-label.ts';
import { byStatusText } from './group-rows.ts';
import { JobState } from './job-state.tsx';

/** The delivery at a glance: its state, where it comes from, what is rendered, how many clusters are ready, when it last synced. */
export function DeliveryHeader({ delivery: d }: { delivery: DeliverySummary }) {
  const states = byStatusText(d.byStatus);
  return (
    <div className="space-y-2">
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1">
          <dt className="sr-only">State</dt>
          <dd data-testid="delivery-state">
            <DeliveryStatusLabel status={d.status} />
          </dd>
        </div>
        <Item term="Engine">
          {ENGINE_LABEL[d.engine]} {KIND_LABEL[d.engine]}
        </Item>
        <Item term="Namespace">{d.namespace}</Item>
        {d.tenant && <Item term="Tenant">{d.tenant}</Item>}
        <Item term="Repo">
          <span className="break-all">{d.repo}</span>
        </Item>
        {d.branch && <Item term="Branch">{d.branch}</Item>}
        {d.revision && (
          <Item term={d.branch ? 'Revision' : 'Pinned to'}>
            <code className="font-mono">{d.revision}</code>
          </Item>
        )}
        {d.paths.length > 0 && <Item term="Paths">{d.paths.join(', ')}</Item>}
        <Item term={d.engine === 'fleet' ? 'Rendered commit' : 'Last synced commit'}>
          <Commit commit={d.renderedCommit} />
        </Item>
        <Item term="Ready clusters">
          <span className="tabular-nums">
            {d.ready}/{d.desired}
          </span>
          {states && <span className="text-slate-600 dark:text-slate-400"> ({states})</span>}
        </Item>
        <Item term="Last successful sync">{d.lastSyncAt ? <RelativeTime iso={d.lastSyncAt} /> : 'never seen'}</Item>
        <Item term={d.engine === 'fleet' ? 'Git job' : 'Operation'}>
          <JobState delivery={d} />
        </Item>
      </dl>
      {d.paused && (
        <p className="flex items-center gap-2 rounded border border-violet-500 bg-violet-50 p-2 text-sm text-violet-950 dark:bg-violet-950 dark:text-violet-50">
          <CirclePause aria-hidden className="size-4 shrink-0" />
          Paused: new commits are still rendered, but none is deployed until it is resumed.
        </p>
      )}
      {d.fleet?.gitJob === 'Failed' && d.fleet.gitJobMessage && (
        <p role="status" className="text-sm text-red-800 dark:text-red-300">
          The git job failed: {d.fleet.gitJobMessage}
        </p>
      )}
    </div>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex gap-1">
      <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
