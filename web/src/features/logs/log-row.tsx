import { memo } from 'react';

import { RelativeTime } from '../../components/relative-time.tsx';
import { textColumn } from '../../components/text-column.ts';
import type { LogEntry } from './log-entries.ts';
import { LEVEL_STYLE } from './log-level.ts';
import { LogText } from './log-text.tsx';

export interface LogRowProps {
  /** The element's id, for the list's `aria-owns`. */
  id: string;
  entry: LogEntry;
  index: number;
  /** Lines in the list: with `index`, the row's place for assistive technologies. */
  of: number;
  /** Where the virtual list puts the row (px from the top). */
  top: number;
  isNew: boolean;
  selected: boolean;
  /** The one row of the list reachable with Tab (arrow keys move between rows). */
  tabbable: boolean;
  wrap: boolean;
  prettify: boolean;
  needles: readonly string[];
  onOpen: (entry: LogEntry) => void;
  /** Set when rows are measured (wrapped or prettified lines differ in height). */
  measureRef: ((el: HTMLElement | null) => void) | undefined;
}

/** Characters per column: the font is monospaced, so padded columns line up without a box each. */
const TIME_CH = 15;
const LEVEL_CH = 10; // glyph, space, "no level"
const SOURCE_CH = 18;
/** Where the line's own text starts (the columns and a space after each): wrapped lines hang here. */
const TEXT_CH = TIME_CH + 1 + LEVEL_CH + 1 + SOURCE_CH + 1;

/**
 * One log line: relative time (exact on hover), level as word, icon and colour, the pod
 * it came from, the text with search matches marked. The row is one line of inline text
 * in fixed character columns rather than a box per column: a scrolled list lays out every
 * row that comes into view, and boxes (flex items, each its own formatting context) made
 * layout a third of a scroll frame. Wrapped and prettified lines hang at the text column.
 * Memoised: a new batch of lines, a clock tick or a selection re-renders only the rows
 * whose props changed.
 */
export const LogRow = memo(function LogRow({
  id,
  entry,
  index,
  of,
  top,
  isNew,
  selected,
  tabbable,
  wrap,
  prettify,
  needles,
  onOpen,
  measureRef,
}: LogRowProps) {
  const source = entry.labels.pod ?? entry.labels.namespace ?? entry.labels.cluster ?? '';
  const { glyph, text, className } = LEVEL_STYLE[entry.level];
  return (
    <div
      id={id}
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={of}
      data-testid="log-line"
      data-index={index}
      data-new={isNew ? 'true' : undefined}
      ref={measureRef}
      style={{ transform: `translateY(${top}px)` }}
      className={`absolute left-0 top-0 w-full border-b border-slate-100 dark:border-slate-800/60 ${isNew ? 'bg-emerald-50 dark:bg-emerald-950/60' : ''} ${selected ? 'bg-teal-50 dark:bg-teal-950' : ''}`}
    >
      <button
        type="button"
        tabIndex={tabbable ? 0 : -1}
        aria-expanded={selected}
        aria-controls={selected ? 'log-line-detail' : undefined}
        onClick={() => onOpen(entry)}
        style={wrap || prettify ? { paddingLeft: `calc(0.5rem + ${TEXT_CH}ch)`, textIndent: `-${TEXT_CH}ch` } : undefined}
        className={`block w-full px-2 py-0.5 text-left font-mono text-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-teal-600 dark:hover:bg-slate-900 ${wrap || prettify ? 'whitespace-pre-wrap break-all' : 'overflow-hidden text-ellipsis whitespace-pre'}`}
      >
        <RelativeTime iso={new Date(entry.ms).toISOString()} className="text-slate-600 dark:text-slate-400" width={TIME_CH} />{' '}
        <span className={`font-medium ${className}`} data-level={entry.level}>
          <span aria-hidden>{glyph}</span> {textColumn(text, LEVEL_CH - 2)}
        </span>{' '}
        <span className="text-slate-600 dark:text-slate-400" title={source}>
          {textColumn(source, SOURCE_CH)}
        </span>{' '}
        <LogText text={entry.line} needles={needles} prettify={prettify} />
      </button>
    </div>
  );
});
