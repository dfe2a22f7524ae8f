import type { ReactNode } from 'react';

import type { ArgoDetails } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { Commit } from './commit.tsx';

/** An Argo CD Application's own words: project, destination, sync and health, the last (or running) operation, its ApplicationSet. */
export function ArgoDetailsPanel({ argo }: { argo: ArgoDetails }) {
  const op = argo.operation;
  const dest = argo.destination;
  return (
    <section aria-labelledby="argo-details" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="argo-details" className="mb-2 font-semibold">
        Argo CD
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <Row term="Project">{argo.project}</Row>
        <Row term="Destination">
          {[dest.name, dest.server].filter(Boolean).join(' · ') || '—'}
          {dest.namespace && `, namespace ${dest.namespace}`}
          {argo.unmapped && (
            <span className="block text-amber-900 dark:text-amber-200">This destination matches no cluster of the inventory.</span>
          )}
        </Row>
        <Row term="Sync / health">
          {argo.sync} / {argo.health}
        </Row>
        <Row term="Automated sync">{argo.automated ? 'on' : 'off'}</Row>
        {argo.applicationSet && <Row term="ApplicationSet">{argo.applicationSet}</Row>}
        {argo.reconciledAt && (
          <Row term="Last compared with git">
            <RelativeTime iso={argo.reconciledAt} />
          </Row>
        )}
        <Row term="Operation">
          {argo.syncPending ? (
            <span data-testid="operation-phase">Sync asked, not picked up yet (another sync is refused until it is)</span>
          ) : op ? (
            <span data-testid="operation-phase">{op.phase}</span>
          ) : (
            'none yet'
          )}
        </Row>
        {op && (
          <>
            {op.initiatedBy && <Row term="Started by">{op.initiatedBy}</Row>}
            {op.startedAt && (
              <Row term="Started">
                <RelativeTime iso={op.startedAt} />
              </Row>
            )}
            {op.finishedAt && (
              <Row term="Finished">
                <RelativeTime iso={op.finishedAt} />
              </Row>
            )}
            {op.revision && (
              <Row term="Synced to">
                <Commit commit={op.revision} />
              </Row>
            )}
            {op.message && <Row term="Message">{op.message}</Row>}
          </>
        )}
      </dl>
    </section>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}
