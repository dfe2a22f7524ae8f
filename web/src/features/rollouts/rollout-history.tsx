import type { RolloutHistoryEntry } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { VERDICT } from './readiness-look.ts';
import { StateLabel } from './state-label.tsx';

const FROM: Record<RolloutHistoryEntry['from'], string> = { audit: 'Fleetdeck audit', upstream: 'upstream object' };

/**
 * What the approver was shown when they approved (verdict, reasons, when it was evaluated)
 * and, for a wave that was not ready, the reason they typed.
 */
function ReadinessSeen({ entry }: { entry: RolloutHistoryEntry }) {
  const { readiness, notReadyReason } = entry;
  if (!readiness && !notReadyReason) return <>—</>;
  return (
    <div className="space-y-0.5" data-testid="history-readiness">
      {readiness && (
        <>
          <StateLabel look={VERDICT[readiness.verdict]} />
          {readiness.reasons.length > 0 && (
            <ul className="list-disc pl-5 text-xs" aria-label="Reasons shown">
              {readiness.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
          <p className="text-xs text-slate-600 dark:text-slate-400">
            evaluated <RelativeTime iso={readiness.evaluatedAt} />
          </p>
        </>
      )}
      {notReadyReason && (
        <p data-testid="not-ready-reason">
          <span className="font-medium">Approved although not ready:</span> {notReadyReason}
        </p>
      )}
    </div>
  );
}

/** Approvals, pauses, aborts…: who, when, what, on which wave, with what comment; newest first. */
export function RolloutHistory({ entries }: { entries: readonly RolloutHistoryEntry[] }) {
  const newestFirst = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="history-title" className="mb-2 font-semibold">
        History
      </h2>
      {newestFirst.length === 0 ? (
        <p className="text-sm">Nobody has approved, paused or stopped this rollout yet.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="history">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Wave</th>
              <th scope="col">Comment</th>
              <th scope="col">Readiness seen</th>
              <th scope="col">Result</th>
              <th scope="col">Recorded in</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((e, i) => (
              <tr key={`${e.at}-${e.actor}-${e.action}-${i}`} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1 pr-2">
                  <RelativeTime iso={e.at} />
                </td>
                <td className="pr-2 font-medium">{e.actor}</td>
                <td className="pr-2">{e.action}</td>
                <td className="pr-2">{e.wave ?? '—'}</td>
                <td className="pr-2">{e.comment ?? '—'}</td>
                <td className="pr-2">
                  <ReadinessSeen entry={e} />
                </td>
                <td className="pr-2">{e.result ?? '—'}</td>
                <td>{FROM[e.from]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
