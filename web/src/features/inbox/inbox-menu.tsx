import { useQuery } from '@tanstack/react-query';
import { Bell, BellDot } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

import type { InboxItem } from '@fleetdeck/shared';

import { useLivePatcher } from '../../api/live/use-live-patcher.ts';
import { RelativeTime } from '../../components/relative-time.tsx';
import { AppLink } from '../rollouts/app-link.tsx';
import { inboxPatcher, inboxQuery } from './inbox-query.ts';

/**
 * "Waiting for you (N)" in the top bar: the approval gates this person may approve now,
 * each linking to its rollout. A disclosure (button + list): Escape or choosing an item
 * closes it and gives focus back to the button.
 */
export function InboxMenu() {
  const inbox = useQuery(inboxQuery());
  useLivePatcher(inboxPatcher);
  const [open, setOpen] = useState(false);
  const ids = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = inbox.data?.items ?? [];
  const count = inbox.data ? String(items.length) : '…';

  // A click outside closes it, as menus do.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      close();
    }
  };
  const Icon = items.length > 0 ? BellDot : Bell;
  return (
    <div ref={root} className="relative" onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={`${ids}-list`}
        onClick={() => setOpen((o) => !o)}
        data-testid="inbox-button"
        className={`inline-flex items-center gap-1.5 rounded px-2 py-1 text-sm hover:bg-slate-200 dark:hover:bg-slate-800 ${items.length > 0 ? 'font-semibold text-amber-900 dark:text-amber-200' : ''}`}
      >
        <Icon aria-hidden className="size-4" />
        Waiting for you ({count})
      </button>
      <div
        id={`${ids}-list`}
        hidden={!open}
        className="absolute right-0 z-20 mt-1 w-96 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        <h2 className="mb-1 font-semibold">Waiting for your approval</h2>
        {inbox.isError && <p className="text-red-800 dark:text-red-300">The inbox could not be loaded: {inbox.error.message}</p>}
        {inbox.data && items.length === 0 && <p data-testid="inbox-empty">Nothing waiting for you</p>}
        {items.length > 0 && (
          <ul className="space-y-1" aria-label="Gates waiting for you" data-testid="inbox-items">
            {items.map((item) => (
              <InboxRow key={`${item.rolloutId}/${item.wave}/${item.position}`} item={item} onChoose={() => setOpen(false)} />
            ))}
          </ul>
        )}
        {inbox.data && inbox.data.errors.length > 0 && (
          <p className="mt-1 text-xs text-amber-900 dark:text-amber-200">
            Partly unavailable: {inbox.data.errors.map((e) => e.reason).join('; ')}
          </p>
        )}
      </div>
    </div>
  );
}

function InboxRow({ item, onChoose }: { item: InboxItem; onChoose: () => void }) {
  return (
    <li className="rounded border border-slate-200 dark:border-slate-700">
      <AppLink
        href={item.href}
        onFollow={onChoose}
        className="block px-2 py-1 hover:bg-slate-100 focus:bg-slate-100 dark:hover:bg-slate-800 dark:focus:bg-slate-800"
      >
        <span className="font-medium text-teal-800 dark:text-teal-300">{item.rollout}</span>: wave {item.wave}{' '}
        {item.position === 'before' ? 'waits to start' : 'waits to finish'}
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {item.tenant && `${item.tenant} · `}
          {item.progress && `${item.progress.given} of ${item.progress.required} approvals · `}
          {item.waitingSince ? (
            <>
              waiting since <RelativeTime iso={item.waitingSince} />
            </>
          ) : (
            'waiting'
          )}
        </span>
      </AppLink>
    </li>
  );
}
