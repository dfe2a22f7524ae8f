import { useQuery } from '@tanstack/react-query';
import { Play } from 'lucide-react';
import { memo, useId, useState } from 'react';

import { logsScopeQuery } from './logs-queries.ts';

/** The enforced part of every query, read-only: what the BFF ANDs into each selector for this person. */
function EnforcedPart() {
  const scope = useQuery(logsScopeQuery());
  let text: string;
  if (scope.isPending) text = 'Loading…';
  else if (scope.isError) text = `Unknown (${scope.error.message})`;
  else if (scope.data.groups.length === 0) text = 'You may not read any logs.';
  else text = scope.data.groups.map((g) => `{${g.matchers}}`).join(' or ');
  return (
    <p className="text-xs text-slate-600 dark:text-slate-300">
      <span className="font-medium">Always added{scope.data?.unrestricted ? ' (every cluster you may see)' : ''}: </span>
      <code data-testid="logs-enforced" className="break-all rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">
        {text}
      </code>
    </p>
  );
}

/**
 * The LogQL box: edited freely, run with the button or Ctrl/Cmd+Enter (the query then
 * goes to the URL). The person's enforced matchers are shown beside it, never editable.
 * Memoised: the live tail re-renders the page on every batch of lines; this part need not.
 */
export const QueryEditor = memo(function QueryEditor({ query, onRun }: { query: string; onRun: (query: string) => void }) {
  const id = useId();
  const [draft, setDraft] = useState(query);
  const [seen, setSeen] = useState(query);
  // The URL's query changed under us (a link, the label browser): show it.
  if (seen !== query) {
    setSeen(query);
    setDraft(query);
  }
  const run = () => {
    const q = draft.trim();
    if (q !== '') onRun(q);
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        LogQL query
      </label>
      <div className="flex items-start gap-2">
        <textarea
          id={id}
          value={draft}
          rows={2}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              run();
            }
          }}
          className="min-h-14 flex-1 resize-y rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="button"
          onClick={run}
          className="inline-flex items-center gap-1 rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 dark:bg-teal-600 dark:hover:bg-teal-500"
        >
          <Play aria-hidden className="size-4" />
          Run query
        </button>
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-300">
        Ctrl+Enter (⌘+Enter) runs the query.
      </p>
      <EnforcedPart />
    </div>
  );
});
