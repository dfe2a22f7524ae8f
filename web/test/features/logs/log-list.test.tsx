// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LogEntry } from '../../../src/features/logs/log-entries.ts';
import { LogList } from '../../../src/features/logs/log-list.tsx';
import { RowSlots } from '../../../src/features/logs/row-slots.ts';
import { newestFirst } from '../../../src/features/logs/tail-buffer.ts';
import { giveEveryBoxASize } from '../../helpers/box-size.ts';

// The scroller is 600 px tall: about 27 rows of 22 px are in view.
beforeEach(() => giveEveryBoxASize(900, 600));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const T0 = Date.parse('2026-11-26T10:00:00Z');
function entries(n: number): LogEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 10_000 + i,
    ns: `${T0 + i}000000`,
    ms: T0 + i,
    line: `line number ${i}`,
    labels: { cluster: 'staging', namespace: 'client-a-web', pod: `web-${i % 3}` },
    level: 'info' as const,
  }));
}

function renderList(n: number) {
  const lines = newestFirst(entries(n));
  render(
    <LogList
      lines={lines}
      ticking={false}
      selectedId={undefined}
      wrap={false}
      prettify={false}
      needles={[]}
      onOpen={() => {}}
      empty="none"
    />,
  );
  const scroller = screen.getByTestId('log-lines');
  const scrollTo = (top: number) =>
    act(() => {
      scroller.scrollTop = top;
      fireEvent.scroll(scroller);
    });
  // Newest first: line number n-1 is row 0.
  const rowOf = (line: string) => screen.getByText(line).closest<HTMLElement>('[role="listitem"]')!;
  return { scroller, scrollTo, rowOf };
}

describe('RowSlots', () => {
  it('keeps a row’s slot while it stays in view and gives a leaving row’s slot to a row coming in', () => {
    const slots = new RowSlots();
    const first = slots.assign([0, 1, 2, 3]);
    expect(new Set(first).size).toBe(4);
    const next = slots.assign([2, 3, 4, 5]);
    expect(next.slice(0, 2)).toEqual(first.slice(2));
    expect(new Set(next)).toEqual(new Set(first));
  });

  it('gives the same slots for the same rows twice, and new slots only when more rows are in view', () => {
    const slots = new RowSlots();
    const a = slots.assign([10, 11, 12]);
    expect(slots.assign([10, 11, 12])).toEqual(a);
    const grown = slots.assign([10, 11, 12, 13, 14]);
    expect(new Set(grown).size).toBe(5);
    // Shrinking and growing again reuses the slots it had: no slot number grows without bound.
    slots.assign([500, 501]);
    const again = slots.assign([700, 701, 702, 703, 704]);
    expect(Math.max(...again)).toBeLessThan(5);
    // A jump to an unrelated place reuses every slot.
    expect(new Set(slots.assign([90_000, 90_001, 90_002, 90_003, 90_004]))).toEqual(new Set(again));
  });
});

describe('the log list', () => {
  it('reuses the elements of rows that leave the view for the rows that come into it', () => {
    const { scrollTo, rowOf } = renderList(1000);
    scrollTo(22 * 10);
    const before = new Set(screen.getAllByRole('listitem'));
    expect(before.size).toBeGreaterThan(20);
    const leaving = rowOf('line number 989'); // row 10, at the top of the view
    scrollTo(22 * 20);
    const after = new Set(screen.getAllByRole('listitem'));
    expect(after).toEqual(before);
    // Row 10 left the view; its element now shows a line that came in at the bottom.
    expect(leaving.isConnected).toBe(true);
    expect(leaving.textContent).not.toContain('line number 989');
    expect(Number(leaving.dataset.index)).toBeGreaterThan(20);
    expect(leaving.textContent).toContain(`line number ${999 - Number(leaving.dataset.index)}`);
  });

  it('keeps reused rows where they are in the page, and gives the line order by aria-owns and aria-posinset', () => {
    const { scrollTo } = renderList(1000);
    scrollTo(22 * 10);
    const list = screen.getByRole('list');
    const before = screen.getAllByRole('listitem');
    scrollTo(22 * 17);
    // Same elements, same order in the DOM: none was moved, only given new lines.
    expect(screen.getAllByRole('listitem')).toEqual(before);
    const inLineOrder = list
      .getAttribute('aria-owns')!
      .split(' ')
      .map((id) => document.getElementById(id)!);
    expect(new Set(inLineOrder)).toEqual(new Set(before));
    const indexes = inLineOrder.map((row) => Number(row.dataset.index));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(indexes[0]).toBeGreaterThan(10);
    for (const row of inLineOrder) {
      expect(row.getAttribute('aria-posinset')).toBe(String(Number(row.dataset.index) + 1));
      expect(row.getAttribute('aria-setsize')).toBe('1000');
      expect(row.textContent).toContain(`line number ${999 - Number(row.dataset.index)}`);
    }
  });

  it('never leaves focus on a row element that now shows another line', () => {
    const { scrollTo, rowOf } = renderList(1000);
    const first = rowOf('line number 999');
    const button = first.querySelector('button')!;
    expect(button.tabIndex).toBe(0);
    button.focus();
    scrollTo(22 * 500);
    // The focused line's row went with it (as without reuse); no element kept focus on another line.
    expect(button.isConnected ? button.textContent : 'gone').toMatch(/line number 999|gone/);
    const focusedRow = document.activeElement?.closest('[role="listitem"]');
    expect(focusedRow ? focusedRow.textContent : 'no row').toMatch(/line number 999|no row/);
  });

  it('moves between lines with the arrow keys, and each row shows its own line after scrolling far', () => {
    const { scrollTo } = renderList(1000);
    scrollTo(22 * 600);
    for (const row of screen.getAllByRole('listitem')) {
      const index = Number(row.dataset.index);
      expect(row.textContent).toContain(`line number ${999 - index}`);
    }
    const list = screen.getByTestId('log-lines');
    const tabbable = () => list.querySelector<HTMLElement>('button[tabindex="0"]')!.closest<HTMLElement>('[role="listitem"]')!;
    scrollTo(0);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(tabbable().textContent).toContain('line number 998');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(tabbable().textContent).toContain('line number 997');
  });
});
