import { useNavigate } from '@tanstack/react-router';
import { useRef, useState, type KeyboardEvent } from 'react';

import { paths } from '../../config/paths.ts';
import { DeliveryRowView } from './delivery-row.tsx';
import type { TableRow } from './group-rows.ts';

const HEADERS = ['Name', 'Repo and branch', 'Rendered commit', 'State', 'Ready', 'Last sync', 'Git job / sync'];

/**
 * The deliveries, one focusable row each under their group's heading: ↑/↓, Home/End move
 * between rows (headings are skipped); Enter opens the delivery.
 */
export function DeliveriesTable({ rows }: { rows: TableRow[] }) {
  const navigate = useNavigate();
  const body = useRef<HTMLTableSectionElement>(null);
  const items = rows.flatMap((r, i) => (r.kind === 'item' ? [i] : []));
  const [focused, setFocused] = useState(0);
  const current = items.includes(focused) ? focused : (items[0] ?? 0);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const at = items.indexOf(current);
    const moves: Record<string, number | undefined> = {
      ArrowDown: items[at + 1],
      ArrowUp: items[at - 1],
      Home: items[0],
      End: items.at(-1),
    };
    if (e.key in moves) {
      e.preventDefault();
      const next = moves[e.key];
      if (next === undefined) return;
      setFocused(next);
      body.current?.querySelector<HTMLElement>(`tr[data-index="${next}"]`)?.focus();
    } else if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.tagName === 'TR') {
      const row = rows[current];
      if (row?.kind === 'item') void navigate({ to: paths.delivery, params: { id: row.delivery.id } });
    }
  };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">GitRepos and Applications; use the arrow keys to move between rows and Enter to open one.</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600 dark:bg-slate-900 dark:text-slate-300">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="py-2 pr-3 first:pl-3">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body} onKeyDown={onKeyDown} className="[&>tr>*:first-child]:pl-3">
          {rows.map((row, i) =>
            row.kind === 'group' ? (
              <tr key={row.key} className="bg-slate-100 dark:bg-slate-800" data-testid="delivery-group">
                <th scope="colgroup" colSpan={HEADERS.length} className="py-1.5 text-left text-sm font-semibold">
                  {row.label} <span className="font-normal text-slate-600 dark:text-slate-300">({row.count} loaded)</span>
                </th>
              </tr>
            ) : (
              <DeliveryRowView key={row.key} index={i} delivery={row.delivery} focused={i === current} onFocus={() => setFocused(i)} />
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
