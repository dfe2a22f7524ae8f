import { AlertTriangle, Gauge, Scissors } from 'lucide-react';

import type { ClusterViolationFeed, ViolationTruncation } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';

const NOTE = 'flex items-start gap-2 text-sm';

/** "20 of 143 shown — Gatekeeper keeps only the first 20": a cut list is never passed off as complete. */
export function TruncationNotes({ truncations }: { truncations: readonly ViolationTruncation[] }) {
  if (truncations.length === 0) return null;
  return (
    <ul aria-label="Incomplete lists" className="space-y-1">
      {truncations.map((t) => (
        <li key={`${t.cluster}/${t.policy}`} className={`${NOTE} text-amber-900 dark:text-amber-200`} data-testid="truncation">
          <Scissors aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="font-mono">{t.policy}</span> on {t.cluster}: {t.shown.toLocaleString('en')} of {t.total.toLocaleString('en')}{' '}
            shown — Gatekeeper keeps only the first {t.shown.toLocaleString('en')}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Clusters whose violations are not live: stale (last known, since when), counts only (Prometheus), or no source. */
export function FeedNotes({ feeds }: { feeds: readonly ClusterViolationFeed[] }) {
  const notLive = feeds.filter((f) => f.state !== 'live');
  if (notLive.length === 0) return null;
  return (
    <ul aria-label="Clusters not read live" className="space-y-1">
      {notLive.map((f) => (
        <li key={f.cluster} className={NOTE} data-testid="feed-note">
          {f.state === 'countsOnly' ? (
            <Gauge aria-hidden className="mt-0.5 size-4 shrink-0 text-sky-700 dark:text-sky-300" />
          ) : (
            <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-700 dark:text-amber-300" />
          )}
          <span>
            <span className="font-medium">{f.cluster}</span>: <FeedText feed={f} />
            {f.reason && <span className="text-slate-600 dark:text-slate-300"> ({f.reason})</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function FeedText({ feed }: { feed: ClusterViolationFeed }) {
  switch (feed.state) {
    case 'stale':
      return feed.lastSyncAt ? (
        <>
          stale since <RelativeTime iso={feed.lastSyncAt} /> — last known violations shown
        </>
      ) : (
        <>stale — last known violations shown</>
      );
    case 'countsOnly':
      return <>counts only — no connection; counts from the metrics it sends, no resources</>;
    case 'unconfigured':
      return <>no violation source — neither a connection nor metrics</>;
    case 'live':
      return <>live</>;
  }
}
