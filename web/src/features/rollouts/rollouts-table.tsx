import { useNavigate } from '@tanstack/react-router';
import { useRef, useState, type KeyboardEvent } from 'react';

import type { RolloutSummary } from '@fleetdeck/shared';

import { RolloutRow } from './rollout-row.tsx';
import { paths } from '../../config/paths.ts';

const HEADERS = ['Rollout', 'Source', 'Target and revision', 'State', 'Current wave', 'Progress', 'Age'];

/** The rollouts, one focusable row each: ↑/↓, Home/End move between rows; Enter opens the rollout. */
export function RolloutsTable({ rows }: { rows: RolloutSummary[] }) {
  const navigate = useNavigate();
  const body = useRef<HTMLTableSectionElement>(null);
  const [focused, setFocused] = useState(0);
  const current = Math.min(focused, rows.length - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: rows.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, moves[e.key]!));
      setFocused(next);
      body.current?.querySelectorAll<HTMLElement>('tr')[next]?.focus();
    } else if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.tagName === 'TR') {
      const row = rows[current];
      if (row) void navigate({ to: paths.rollout, params: { id: row.id } });
    }
  };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Rollouts; use the arrow keys to move between rows and Enter to open one.</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600 dark:bg-slate-900 dark:text-slate-300">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-0 py-2 pr-3 first:pl-3">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body} onKeyDown={onKeyDown} className="[&>tr>*:first-child]:pl-3">
          {rows.map((r, i) => (
            <RolloutRow key={r.id} rollout={r} focused={i === current} onFocus={() => setFocused(i)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
