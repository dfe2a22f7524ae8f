/** A panel's definition in words: what it shows, where the series come from, its PromQL. */
export function PanelHelp({ help, source, query }: { help?: string | undefined; source?: string | undefined; query?: string | undefined }) {
  if (!help && !source && !query) return null;
  return (
    <details className="text-xs text-slate-600 dark:text-slate-300">
      <summary className="cursor-pointer select-none">About this panel</summary>
      {help && <p className="mt-1 max-w-prose">{help}</p>}
      {source && <p className="mt-1">Source: {source}</p>}
      {query && <code className="mt-1 block overflow-x-auto rounded bg-slate-100 p-1 whitespace-pre dark:bg-slate-800">{query}</code>}
    </details>
  );
}
