/** A titled list of key/value pairs (labels, annotations), sorted by key. */
export function KeyValues({ title, values }: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby={`kv-${title}`} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id={`kv-${title}`} className="mb-2 font-semibold">
        {title}
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">None.</p>
      ) : (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {entries.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-mono text-slate-600 dark:text-slate-300">{k}</dt>
              <dd className="font-mono">{v}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
