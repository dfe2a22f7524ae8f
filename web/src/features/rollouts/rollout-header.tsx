import { EyeOff, Pin } from 'lucide-react';
import type { ReactNode } from 'react';

import type { Rollout } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { ROLLOUT_STATE } from './rollout-states.ts';
import { SOURCE_LABEL, hiddenText } from './source-label.ts';
import { StateLabel } from './state-label.tsx';

/** The rollout at a glance: state, source, what and which revision, when; what is hidden and what is pinned. */
export function RolloutHeader({ rollout: r }: { rollout: Rollout }) {
  return (
    <div className="space-y-2">
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1">
          <dt className="sr-only">State</dt>
          <dd data-testid="rollout-state">
            <StateLabel look={ROLLOUT_STATE[r.state]} />
          </dd>
        </div>
        <Item term="Source">{SOURCE_LABEL[r.source]}</Item>
        {r.namespace && <Item term="Namespace">{r.namespace}</Item>}
        {r.tenant && <Item term="Tenant">{r.tenant}</Item>}
        <Item term="Target">{r.target}</Item>
        {r.revision && (
          <Item term="Revision">
            <code className="font-mono">{r.revision}</code>
          </Item>
        )}
        {r.currentWave && <Item term="Current wave">{r.currentWave}</Item>}
        {r.createdAt && (
          <Item term="Created">
            <RelativeTime iso={r.createdAt} />
          </Item>
        )}
        {r.updatedAt && (
          <Item term="Updated">
            <RelativeTime iso={r.updatedAt} />
          </Item>
        )}
      </dl>
      {r.message && <p className="text-sm text-slate-700 dark:text-slate-300">{r.message}</p>}
      {r.redacted && (
        <p className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
          <EyeOff aria-hidden className="size-4" />
          This rollout also touches {hiddenText(r.hiddenClusters)}: they are counted, not named, and their messages are left out.
        </p>
      )}
      {r.pinned && (
        <p className="flex items-center gap-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          <Pin aria-hidden className="size-4" />
          Pinned to <code className="font-mono">{r.pinned.revision}</code> by a roll back: new pushes
          {r.pinned.branch ? ` to ${r.pinned.branch}` : ''} are not deployed until it is unpinned.
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
