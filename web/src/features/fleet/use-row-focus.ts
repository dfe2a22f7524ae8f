import { useNavigate } from '@tanstack/react-router';
import { useState, type KeyboardEvent, type RefObject } from 'react';

import { paths } from '../../config/paths.ts';
import type { Row } from './select.ts';

const PAGE = 10;

/**
 * Arrow-key navigation in the virtualised table (a roving tabindex): ↑/↓, PageUp/Down,
 * Home/End move the focused row, scrolling it into view first; Enter opens a cluster.
 */
export function useRowFocus(
  rows: readonly Row[],
  virtualizer: { scrollToIndex(index: number): void },
  scrollRef: RefObject<HTMLDivElement | null>,
) {
  const navigate = useNavigate();
  const [focused, setFocused] = useState(0);
  const focusRow = (i: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setFocused(next);
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = {
      ArrowDown: focused + 1,
      ArrowUp: focused - 1,
      PageDown: focused + PAGE,
      PageUp: focused - PAGE,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in keys) {
      e.preventDefault();
      focusRow(keys[e.key]!);
    } else if (e.key === 'Enter') {
      const row = rows[focused];
      if (row?.kind === 'cluster') void navigate({ to: paths.cluster, params: { name: row.cluster.name } });
    }
  };
  return { focused, setFocused, onKeyDown };
}
