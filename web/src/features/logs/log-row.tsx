import { memo } from 'react';

import { RelativeTime } from '../../components/relative-time.tsx';
import type { LogEntry } from './log-entries.ts';
import { LogLevelTag } from './log-level-tag.tsx';
import { LogText } from './log-text.tsx';

export interface LogRowProps {
  entry: LogEntry;
  index: number;
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

/**
 * One log line: relative time (exact on hover), level as word, icon and colour, the pod
 * it came from, the text with search matches marked. Memoised: a new batch of lines, a
 * clock tick or a selection re-renders only the rows whose props changed.
 */
export const LogRow = memo(function LogRow({
  entry,
  index,
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
  return (
    <div
      role="listitem"
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
        className="flex w-full items-start gap-2 px-2 py-0.5 text-left font-mono text-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-teal-600 dark:hover:bg-slate-900"
      >
        <span className="w-24 shrink-0 truncate text-slate-600 dark:text-slate-400">
          <RelativeTime iso={new Date(entry.ms).toISOString()} />
        </span>
        <LogLevelTag level={entry.level} />
        <span className="w-32 shrink-0 truncate text-slate-600 dark:text-slate-400" title={source}>
          {source}
        </span>
        <span className={`min-w-0 flex-1 ${wrap || prettify ? 'whitespace-pre-wrap break-all' : 'truncate whitespace-pre'}`}>
          <LogText text={entry.line} needles={needles} prettify={prettify} />
        </span>
      </button>
    </div>
  );
});
