import { Link } from '@tanstack/react-router';
import { useState } from 'react';

import { paths } from '../../config/paths.ts';

/** A rule over a big fleet matches hundreds of clusters: the first ones are shown until asked for all. */
const FIRST = 40;

/** Clusters as links to their pages, or a plain "none you may see". */
export function ClusterChips({ clusters, label }: { clusters: readonly string[]; label: string }) {
  const [all, setAll] = useState(false);
  if (clusters.length === 0) return <p className="text-xs text-slate-600 dark:text-slate-400">No cluster you may see.</p>;
  const shown = all ? clusters : clusters.slice(0, FIRST);
  return (
    <div className="flex flex-wrap items-center gap-1">
      <ul aria-label={label} className="flex flex-wrap gap-1">
        {shown.map((c) => (
          <li key={c}>
            <Link
              to={paths.cluster}
              params={{ name: c }}
              className="rounded border border-slate-300 px-1.5 font-mono text-xs text-teal-800 hover:underline dark:border-slate-600 dark:text-teal-300"
            >
              {c}
            </Link>
          </li>
        ))}
      </ul>
      {clusters.length > FIRST && (
        <button
          type="button"
          onClick={() => setAll(!all)}
          className="text-xs text-teal-800 underline-offset-2 hover:underline dark:text-teal-300"
        >
          {all ? 'Show fewer' : `Show all ${clusters.length}`}
        </button>
      )}
    </div>
  );
}
