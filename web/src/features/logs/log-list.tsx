import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

import type { LogEntry } from './log-entries.ts';
import { LogRow } from './log-row.tsx';
import { RowSlots } from './row-slots.ts';
import { useTick } from './use-live-tail.ts';
import type { LineSource } from './tail-buffer.ts';

/** One unwrapped line's height (px): rows are this tall unless wrapped or prettified. */
const ROW = 22;
/** How long a line that came in live stays marked as new. */
export const NEW_MS = 4000;

export interface LogListProps {
  lines: LineSource;
  /** Lines ever put on top (live tail): the difference keeps a scrolled-down reader's place. */
  added?: number | undefined;
  /** Lines arrive live: a clock ticks to take their "new" marks off again. */
  ticking: boolean;
  selectedId: number | undefined;
  wrap: boolean;
  prettify: boolean;
  needles: readonly string[];
  onOpen: (entry: LogEntry) => void;
  /** Shown inside the list while it has no lines (the list itself stays, so live lines land in place). */
  empty: ReactNode;
}

/**
 * The rows' React keys, and the order to put them in the page. Rows of one fixed height
 * are keyed by slot (see RowSlots) and kept in slot order: the transform places each row,
 * so a row that leaves the top and comes back at the bottom is the same element in the same
 * place in the DOM with new text — moving it (as keeping the DOM in line order does) costs
 * its style and layout all over again, most of what reuse saves. Assistive technologies get
 * the line order from the list's `aria-owns` and each row's `aria-posinset`. The row
 * reachable with Tab is keyed by its line so that focus never stays on an element that now
 * shows another line. Measured rows (wrapped or prettified) are all keyed by line, in line
 * order: the virtualiser measures an element when it mounts or resizes, so a reused
 * element of unchanged height would keep the size of the line it showed before.
 */
function rowKeys(
  slots: RowSlots,
  items: readonly VirtualItem[],
  measured: boolean,
  tabbable: number,
): { item: VirtualItem; key: string }[] {
  if (measured) return items.map((item) => ({ item, key: `line-${String(item.key)}` }));
  const slotted = items.filter((item) => item.index !== tabbable);
  const assigned = slots.assign(slotted.map((item) => item.index));
  const inSlotOrder = slotted.map((item, n) => ({ item, slot: assigned[n]! })).sort((a, b) => a.slot - b.slot);
  const rows = inSlotOrder.map(({ item, slot }) => ({ item, key: `slot-${slot}` }));
  const own = items.find((item) => item.index === tabbable);
  if (own) rows.push({ item: own, key: `line-${String(own.key)}` });
  return rows;
}

/**
 * The lines, newest first, virtualised: only the rows in view (and a few more) are in the
 * page, each memoised and positioned with a transform, so 100,000 lines scroll as smoothly
 * as 100. Rows have one fixed height unless lines are wrapped or prettified (then they are
 * measured). ↑/↓, PageUp/PageDown, Home/End move between lines; Enter opens one.
 */
export function LogList({ lines, added, ticking, selectedId, wrap, prettify, needles, onOpen, empty }: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Assigned during render, idempotently (the same rows get the same slots however often React renders).
  const [slots] = useState(() => new RowSlots());
  const listId = useId();
  const [focused, setFocused] = useState(0);
  const now = useTick(ticking);
  const measured = wrap || prettify;
  // A new key function makes the virtualiser lay out every line again: only when the lines change, never per scroll frame.
  const getItemKey = useCallback((i: number) => lines.at(i).id, [lines]);
  // TanStack Virtual hands out new functions every render, so the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library -- only the visible rows render, so re-rendering is cheap
  const virtualizer = useVirtualizer({
    count: lines.size,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    // Two rows beyond the view: the virtualiser renders in the scroll event, before the frame is
    // painted, so more only adds rows a scrollbar drag replaces every frame (8 cost ~25% more per frame).
    overscan: 2,
    getItemKey,
  });

  // Heights learnt while wrapped do not hold once lines are cut again (and back).
  useEffect(() => virtualizer.measure(), [measured, virtualizer]);

  // Lines put on top push what a scrolled-down reader looks at downwards: keep it in place.
  const lastAdded = useRef(added);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const before = lastAdded.current;
    lastAdded.current = added;
    if (!el || added === undefined || before === undefined || added <= before) return;
    if (el.scrollTop > ROW / 2) el.scrollTop += (added - before) * ROW;
  }, [added]);

  const current = Math.min(focused, Math.max(0, lines.size - 1));
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW * 10) / ROW) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: lines.size - 1,
    };
    const target = moves[e.key];
    if (target === undefined || lines.size === 0) return;
    e.preventDefault();
    const next = Math.min(lines.size - 1, Math.max(0, target));
    setFocused(next);
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] button`)?.focus());
  };

  const items = virtualizer.getVirtualItems();
  const rows = rowKeys(slots, items, measured, current);
  const rowId = (key: string) => `${listId}-${key}`;
  const keyOf = new Map(rows.map(({ item, key }) => [item.index, key]));
  return (
    <div
      ref={scrollRef}
      data-testid="log-lines"
      tabIndex={-1}
      className="h-[60vh] min-h-64 overflow-auto rounded-lg [overflow-anchor:none] border border-slate-200 dark:border-slate-800"
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const index = Number((e.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index);
        if (Number.isInteger(index)) setFocused(index);
      }}
    >
      {lines.size === 0 && <div className="p-4">{empty}</div>}
      <div
        // An empty list role would want list items it does not have.
        role={lines.size > 0 ? 'list' : undefined}
        aria-label={lines.size > 0 ? `Log lines, newest first: ${lines.size.toLocaleString('en')}` : undefined}
        // The rows in line order (the page holds them in slot order, see rowKeys).
        aria-owns={lines.size > 0 ? items.map((item) => rowId(keyOf.get(item.index)!)).join(' ') : undefined}
        className="relative w-full"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {rows.map(({ item, key }) => {
          const entry = lines.at(item.index);
          return (
            <LogRow
              key={key}
              id={rowId(key)}
              of={lines.size}
              entry={entry}
              index={item.index}
              top={item.start}
              isNew={entry.arrivedAt !== undefined && now - entry.arrivedAt < NEW_MS}
              selected={entry.id === selectedId}
              tabbable={item.index === current}
              wrap={wrap}
              prettify={prettify}
              needles={needles}
              onOpen={onOpen}
              measureRef={measured ? virtualizer.measureElement : undefined}
            />
          );
        })}
      </div>
    </div>
  );
}
