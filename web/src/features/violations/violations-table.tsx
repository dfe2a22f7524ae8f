import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type KeyboardEvent } from 'react';

import type { Violation } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { resourceText, type TableRow } from './group-rows.ts';
import { ACTION_LABEL, ENGINE_LABEL, SEVERITY_CLASS } from './labels.ts';

const HEIGHT = { group: 32, item: 36 } as const;
const HEADERS = ['Resource', 'Severity', 'Policy', 'Cluster', 'Action', 'Message', 'Last seen'];
const CELL = 'truncate px-2 py-0 align-middle';

/**
 * The violations as a table with a heading row per group, virtualised (only the rows in
 * view are in the page, so thousands scroll smoothly). Each violation's resource is a
 * button: ↑/↓ move between them, Enter or a click opens its details.
 */
export function ViolationsTable({
  rows,
  selected,
  onOpen,
}: {
  rows: TableRow[];
  selected: string | undefined;
  onOpen: (v: Violation) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const items = rows.flatMap((r, i) => (r.kind === 'item' ? [i] : []));
  const [focused, setFocused] = useState(0);
  // TanStack Virtual hands out new functions every render, so the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library -- only the visible rows render, so re-rendering is cheap
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => HEIGHT[rows[i]!.kind],
    overscan: 15,
  });
  const current = items.includes(focused) ? focused : (items[0] ?? 0);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const at = items.indexOf(current);
    const moves: Record<string, number | undefined> = {
      ArrowDown: items[at + 1],
      ArrowUp: items[at - 1],
      Home: items[0],
      End: items.at(-1),
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = moves[e.key];
    if (next === undefined) return;
    setFocused(next);
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-row="${next}"] button`)?.focus());
  };
  const virtual = virtualizer.getVirtualItems();
  const top = virtual[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (virtual.at(-1)?.end ?? 0);
  return (
    <div
      ref={scrollRef}
      className="max-h-[70vh] min-h-48 overflow-auto rounded-lg border border-slate-200 dark:border-slate-800"
      data-testid="violation-rows"
    >
      <table className="w-full table-fixed text-left text-sm" aria-rowcount={rows.length + 1}>
        <caption className="sr-only">Violations; arrow keys move between resources, Enter opens one.</caption>
        <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase text-slate-600 dark:bg-slate-900 dark:text-slate-300">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-2 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {virtual.map((item) => {
            const row = rows[item.index]!;
            if (row.kind === 'group') {
              return (
                <tr
                  key={row.key}
                  aria-rowindex={item.index + 2}
                  style={{ height: HEIGHT.group }}
                  className="bg-slate-100 dark:bg-slate-800"
                >
                  <th scope="colgroup" colSpan={HEADERS.length} className="px-2 text-left text-sm font-semibold">
                    {row.label} <span className="font-normal text-slate-600 dark:text-slate-300">({row.count} loaded)</span>
                  </th>
                </tr>
              );
            }
            const v = row.violation;
            const open = v.id === selected;
            return (
              <tr
                key={row.key}
                data-row={item.index}
                aria-rowindex={item.index + 2}
                style={{ height: HEIGHT.item }}
                onClick={() => onOpen(v)}
                className={`cursor-pointer border-t border-slate-100 dark:border-slate-800 ${open ? 'bg-teal-50 dark:bg-teal-950' : 'hover:bg-slate-50 dark:hover:bg-slate-900'}`}
              >
                <td className={CELL}>
                  <button
                    type="button"
                    tabIndex={item.index === current ? 0 : -1}
                    data-violation-id={v.id}
                    aria-expanded={open}
                    aria-controls={open ? 'violation-detail' : undefined}
                    onFocus={() => setFocused(item.index)}
                    onClick={(e) => {
                      e.stopPropagation();
                      onOpen(v);
                    }}
                    className="max-w-full truncate text-left font-mono text-xs text-teal-800 underline-offset-2 hover:underline dark:text-teal-300"
                  >
                    {resourceText(v)}
                  </button>
                </td>
                <td className={CELL}>
                  <span className={`rounded px-1.5 text-xs font-medium ${SEVERITY_CLASS[v.severity]}`}>{v.severity}</span>
                </td>
                <td className={`${CELL} font-mono text-xs`} title={`${ENGINE_LABEL[v.engine]}: ${v.policy}`}>
                  {v.policy}
                </td>
                <td className={CELL}>{v.cluster}</td>
                <td className={CELL}>{ACTION_LABEL[v.action]}</td>
                <td className={CELL} title={v.message}>
                  {v.message}
                </td>
                <td className={CELL}>{v.lastSeenAt ? <RelativeTime iso={v.lastSeenAt} /> : '—'}</td>
              </tr>
            );
          })}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}
