import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

import type { FleetHealth, FleetRollouts } from '@fleetdeck/shared';

import { COLUMNS, GRID, ROW_HEIGHT } from './fleet-columns.ts';
import { FleetTableRow } from './fleet-table-row.tsx';
import type { Row } from './select.ts';
import { useRowFocus } from './use-row-focus.ts';

/** A virtualised table: thousands of clusters scroll smoothly; arrow keys move between rows. */
export function FleetTable({
  rows,
  health,
  rollouts,
}: {
  rows: Row[];
  health: FleetHealth | undefined;
  rollouts: FleetRollouts | undefined;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual hands out new functions every render, so the React Compiler skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library -- only the visible rows render, so re-rendering is cheap (see bench: web)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => ROW_HEIGHT[rows[i]!.kind],
    overscan: 20,
  });
  const { focused, setFocused, onKeyDown } = useRowFocus(rows, virtualizer, scrollRef);
  return (
    <div
      role="table"
      aria-label="Clusters"
      aria-rowcount={rows.length + 1}
      className="rounded-lg border border-slate-200 text-sm dark:border-slate-800"
    >
      <div role="rowgroup">
        <div
          role="row"
          aria-rowindex={1}
          className={`${GRID} border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs uppercase text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300`}
        >
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        onKeyDown={onKeyDown}
        className="h-[min(70vh,calc(100vh-22rem))] min-h-[24rem] overflow-auto"
        data-testid="fleet-rows"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <FleetTableRow
              key={rows[item.index]!.key}
              row={rows[item.index]!}
              health={health}
              rollouts={rollouts}
              common={{
                role: 'row',
                'aria-rowindex': item.index + 2,
                'data-index': item.index,
                tabIndex: item.index === focused ? 0 : -1,
                onFocus: () => setFocused(item.index),
                style: {
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  height: item.size,
                  transform: `translateY(${item.start}px)`,
                },
              }}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
