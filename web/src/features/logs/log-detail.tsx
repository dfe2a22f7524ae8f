import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';

import { KeyValues } from '../../components/key-values.tsx';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import { nsToIso } from './download.ts';
import type { LogEntry } from './log-entries.ts';
import { LogLevelTag } from './log-level-tag.tsx';
import { LogText } from './log-text.tsx';
import { CONTEXT_LINES, contextQuery } from './logs-queries.ts';
import { streamSelector } from './logql-text.ts';

function ContextLine({ entry, self = false }: { entry: LogEntry; self?: boolean }) {
  return (
    <li className={`flex gap-2 px-2 py-0.5 ${self ? 'bg-teal-50 font-semibold dark:bg-teal-950' : ''}`} aria-current={self || undefined}>
      <span className="shrink-0 text-slate-600 dark:text-slate-400">{nsToIso(entry.ns, entry.ms).slice(11, 23)}</span>
      <LogLevelTag level={entry.level} />
      <span className="min-w-0 flex-1 whitespace-pre-wrap break-all">{entry.line}</span>
    </li>
  );
}

/**
 * An opened line: its exact time, level, every label of its stream, the whole text, and
 * the lines of the same stream just before and after it (asked for when opened).
 */
export function LogDetail({
  entry,
  needles,
  prettify,
  onClose,
  onShowStream,
}: {
  entry: LogEntry;
  needles: readonly string[];
  prettify: boolean;
  onClose: () => void;
  onShowStream: (selector: string) => void;
}) {
  const context = useQuery(contextQuery(entry));
  return (
    <section
      id="log-line-detail"
      aria-labelledby="log-line-detail-title"
      className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
    >
      <div className="flex items-center gap-3">
        <h2 id="log-line-detail-title" className="font-semibold">
          Line at <time dateTime={nsToIso(entry.ns, entry.ms)}>{nsToIso(entry.ns, entry.ms)}</time>
        </h2>
        <LogLevelTag level={entry.level} />
        <button
          type="button"
          onClick={() => onShowStream(streamSelector(entry.labels))}
          className="ml-auto rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Show this stream only
        </button>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close line details"
          className="rounded p-1 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <X aria-hidden className="size-4" />
        </button>
      </div>
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-900">
        <LogText text={entry.line} needles={needles} prettify={prettify} />
      </pre>
      <KeyValues title="Stream labels" values={{ ...entry.labels }} />
      <div>
        <h3 className="mb-1 text-sm font-semibold">Context: up to {CONTEXT_LINES} lines either side in the same stream</h3>
        {context.isPending && <Loading label="Loading the lines around it…" />}
        {context.isError && (
          <ErrorPanel title="The lines around it could not be loaded" error={context.error} onRetry={() => void context.refetch()} />
        )}
        {context.data && (
          <ol className="font-mono text-xs" data-testid="log-context">
            {context.data.before.map((e) => (
              <ContextLine key={e.id} entry={e} />
            ))}
            <ContextLine entry={entry} self />
            {context.data.after.map((e) => (
              <ContextLine key={e.id} entry={e} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
