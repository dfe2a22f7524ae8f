import { CircleCheck, Info, Pause, Play, RefreshCw, RotateCw, Zap, type LucideIcon } from 'lucide-react';
import { useId, useState } from 'react';

import type { DeliverySummary } from '@fleetdeck/shared';

import { ForceUpdateDialog } from './force-update-dialog.tsx';
import { PauseDialog } from './pause-dialog.tsx';
import { RefreshDialog } from './refresh-dialog.tsx';
import { SyncDialog } from './sync-dialog.tsx';
import { useDeliveryAction, type DeliveryActionRequest } from './use-delivery-action.ts';

type Kind = DeliveryActionRequest['kind'];
const LABEL: Record<Kind, { text: string; icon: LucideIcon }> = {
  'force-update': { text: 'Force update…', icon: Zap },
  pause: { text: 'Pause…', icon: Pause },
  resume: { text: 'Resume…', icon: Play },
  sync: { text: 'Sync…', icon: RefreshCw },
  refresh: { text: 'Refresh…', icon: RotateCw },
};

/** The actions that apply to this engine, each with `can`'s word on it ("" allowed, else why not). */
function actionsOf(d: DeliverySummary): { kind: Kind; why: string }[] {
  const out: { kind: Kind; why: string }[] = [];
  if (d.can.forceUpdate !== undefined) out.push({ kind: 'force-update', why: d.can.forceUpdate });
  if (d.can.pause !== undefined) out.push({ kind: d.paused ? 'resume' : 'pause', why: d.can.pause });
  if (d.can.sync !== undefined) out.push({ kind: 'sync', why: d.can.sync });
  if (d.can.refresh !== undefined) out.push({ kind: 'refresh', why: d.can.refresh });
  return out;
}

/**
 * What this person may do to the delivery: every action of its engine is shown; one they may
 * not take is disabled with the BFF's reason beside it. Each asks first, in a dialog.
 */
export function DeliveryActions({ delivery }: { delivery: DeliverySummary }) {
  const action = useDeliveryAction(delivery.id);
  const [dialog, setDialog] = useState<Kind>();
  const ids = useId();
  const actions = actionsOf(delivery);
  if (actions.length === 0) return null;
  const run = (req: DeliveryActionRequest) => action.mutate(req, { onSuccess: () => setDialog(undefined) });
  const last = action.variables ? LABEL[action.variables.kind].text.replace('…', '') : '';
  const props = { delivery, pending: action.isPending, error: dialog ? action.error : null, onClose: () => setDialog(undefined) };
  return (
    <section aria-labelledby={`${ids}-title`} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id={`${ids}-title`} className="mb-2 font-semibold">
        Actions
      </h2>
      <ul className="flex flex-wrap items-start gap-3">
        {actions.map(({ kind, why }) => {
          const { text, icon: Icon } = LABEL[kind];
          const whyId = `${ids}-${kind}-why`;
          return (
            <li key={kind} className="max-w-64">
              <button
                type="button"
                disabled={why !== '' || action.isPending}
                aria-describedby={why ? whyId : undefined}
                onClick={() => {
                  action.reset();
                  setDialog(kind);
                }}
                className="inline-flex items-center gap-1.5 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-70 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                <Icon aria-hidden className="size-4" />
                {text}
              </button>
              {why && (
                <p id={whyId} className="mt-0.5 text-xs text-slate-700 dark:text-slate-300">
                  {why}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div className="mt-2">
        {!dialog && action.data && (
          <p
            role="status"
            data-testid="action-result"
            className={`flex items-center gap-2 text-sm ${action.data.outcome === 'no-op' ? 'text-slate-700 dark:text-slate-300' : 'text-emerald-800 dark:text-emerald-300'}`}
          >
            {action.data.outcome === 'no-op' ? <Info aria-hidden className="size-4" /> : <CircleCheck aria-hidden className="size-4" />}
            {last}: {action.data.message}
          </p>
        )}
        {!dialog && action.error && (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            {last} failed: {action.error.message}
          </p>
        )}
      </div>
      {dialog === 'force-update' && <ForceUpdateDialog {...props} onConfirm={(body) => run({ kind: 'force-update', body })} />}
      {(dialog === 'pause' || dialog === 'resume') && (
        <PauseDialog {...props} resume={dialog === 'resume'} onConfirm={(body) => run({ kind: dialog, body })} />
      )}
      {dialog === 'sync' && <SyncDialog {...props} onConfirm={(body) => run({ kind: 'sync', body })} />}
      {dialog === 'refresh' && <RefreshDialog {...props} onConfirm={(body) => run({ kind: 'refresh', body })} />}
    </section>
  );
}
