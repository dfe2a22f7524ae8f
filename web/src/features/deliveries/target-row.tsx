import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';

import type { DeliveryTarget } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { paths } from '../../config/paths.ts';
import { Commit } from './commit.tsx';
import { DeliveryStatusLabel } from './delivery-status.tsx';

const CELL = 'py-2 pr-3 align-top';

/** The commit applied here is not the one rendered: this cluster is behind. */
export const isBehind = (t: DeliveryTarget, rendered: string | undefined): boolean =>
  rendered !== undefined && t.appliedCommit !== undefined && t.appliedCommit !== rendered;

/** One cluster's part of a delivery; its non-ready and modified resources open below it. */
export function TargetRow({ target: t, rendered, columns }: { target: DeliveryTarget; rendered: string | undefined; columns: number }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const behind = isBehind(t, rendered);
  const n = t.resources.length + (t.resourcesCut ?? 0);
  return (
    <>
      <tr className="border-t border-slate-100 dark:border-slate-800" data-testid="delivery-target" data-cluster={t.cluster}>
        <th scope="row" className={`${CELL} text-left font-normal`}>
          <Link to={paths.cluster} params={{ name: t.cluster }} className="font-medium text-teal-800 hover:underline dark:text-teal-300">
            {t.cluster}
          </Link>
        </th>
        <td className={CELL}>
          <DeliveryStatusLabel status={t.status} />
        </td>
        <td className={CELL}>
          <Commit commit={t.appliedCommit} />
          {behind && (
            <span className="ml-1 rounded border border-amber-500 px-1 text-xs text-amber-900 dark:text-amber-200" data-testid="behind">
              behind
            </span>
          )}
        </td>
        <td className={CELL}>{t.lastSyncAt ? <RelativeTime iso={t.lastSyncAt} /> : '—'}</td>
        <td className={CELL}>{t.paused ? 'paused' : '—'}</td>
        <td className={`${CELL} max-w-80 text-xs`}>
          {t.message && <span className="block break-words">{t.message}</span>}
          {t.customization && (
            <span className="block text-slate-600 dark:text-slate-400">
              customization {t.customization}
              {t.options && t.options.length > 0 && `: ${t.options.join('; ')}`}
            </span>
          )}
        </td>
        <td className={CELL}>
          {n > 0 ? (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={id}
              onClick={() => setOpen(!open)}
              className="text-xs text-teal-800 underline-offset-2 hover:underline dark:text-teal-300"
            >
              {open ? 'Hide' : 'Show'} {n} {n === 1 ? 'resource' : 'resources'}
            </button>
          ) : (
            <span className="text-xs text-slate-600 dark:text-slate-400">all ready</span>
          )}
        </td>
      </tr>
      {open && (
        <tr id={id}>
          <td colSpan={columns} className="bg-slate-50 px-3 pb-2 dark:bg-slate-900">
            <ul aria-label={`Resources not ready on ${t.cluster}`} className="space-y-0.5 text-xs">
              {t.resources.map((r) => (
                <li key={`${r.kind}/${r.namespace ?? ''}/${r.name}`}>
                  <span className="font-mono">
                    {r.kind} {r.namespace ? `${r.namespace}/` : ''}
                    {r.name}
                  </span>{' '}
                  <strong>{r.state}</strong>
                  {r.message && ` — ${r.message}`}
                </li>
              ))}
              {(t.resourcesCut ?? 0) > 0 && <li>… and {t.resourcesCut} more</li>}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}
