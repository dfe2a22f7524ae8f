/** One facet dimension: a button per value with its count; the active value is pressed. */
export function FacetGroup({
  title,
  counts,
  onClick,
  active,
}: {
  title: string;
  counts: Record<string, number>;
  onClick: (value: string) => void;
  active?: string | undefined;
}) {
  return (
    <div className="flex flex-wrap items-center gap-1" role="group" aria-label={`${title} facets`}>
      <span className="text-xs font-medium uppercase text-slate-600 dark:text-slate-400">{title}</span>
      {Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([value, count]) => (
          <button
            key={value}
            type="button"
            aria-pressed={active === value}
            onClick={() => onClick(value)}
            className={`rounded-full border px-2 py-0.5 text-xs ${active === value ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`}
          >
            {value} <span className="tabular-nums">{count}</span>
          </button>
        ))}
    </div>
  );
}
