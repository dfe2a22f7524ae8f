import type { Condition } from '@fleetdeck/shared';

import { RelativeTime } from './relative-time.tsx';

/** Kubernetes-style conditions: type, status, reason (message on hover), since when. */
export function ConditionsTable({ conditions, title = 'Conditions' }: { conditions: Condition[]; title?: string }) {
  return (
    <section aria-labelledby="conditions" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="conditions" className="mb-2 font-semibold">
        {title}
      </h2>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {conditions.map((c) => (
            <tr key={c.type} className="border-t border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1 font-medium">
                {c.type}
              </th>
              <td>{c.status}</td>
              <td title={c.message}>{c.reason ?? '—'}</td>
              <td>{c.lastTransitionTime ? <RelativeTime iso={c.lastTransitionTime} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
