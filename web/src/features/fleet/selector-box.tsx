import { Search, X } from 'lucide-react';

import type { ParsedSelector } from './select.ts';

const HELP =
  'Labels (env=production, tier in (edge,canary), !team), names (prod-*), groups (edge-clusters/*, or a tenant id followed by /*), annotations (annotation:compliance=pci); commas mean AND.';

/** The cluster selector's input: syntax help, or the parse error with the offending character marked. */
export function SelectorBox({ draft, parsed, onChange }: { draft: string; parsed: ParsedSelector; onChange: (text: string) => void }) {
  return (
    <div className="mb-3">
      <label htmlFor="selector" className="mb-1 block text-sm font-medium">
        Cluster selector
      </label>
      <div
        className={`flex items-center gap-2 rounded border px-2 py-1 ${parsed.ok ? 'border-slate-300 dark:border-slate-700' : 'border-red-600'}`}
      >
        <Search aria-hidden className="size-4 text-slate-500" />
        <input
          id="selector"
          type="search"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          placeholder="env=production, region in (us-east,us-west), edge-clusters/*, prod-*, annotation:compliance=pci"
          aria-invalid={!parsed.ok}
          aria-describedby="selector-help"
          onChange={(e) => onChange(e.target.value)}
          className="w-full bg-transparent font-mono text-sm outline-none"
        />
        {draft && (
          <button
            type="button"
            aria-label="Clear selector"
            onClick={() => onChange('')}
            className="rounded p-0.5 hover:bg-slate-200 dark:hover:bg-slate-800"
          >
            <X aria-hidden className="size-4" />
          </button>
        )}
      </div>
      <p
        id="selector-help"
        className={`mt-1 text-xs ${parsed.ok ? 'text-slate-600 dark:text-slate-400' : 'text-red-700 dark:text-red-400'}`}
        role={parsed.ok ? undefined : 'alert'}
      >
        {parsed.ok ? (
          HELP
        ) : (
          <>
            {parsed.message}: <code className="font-mono">{draft.slice(0, parsed.position)}</code>
            <mark className="bg-red-200 font-mono dark:bg-red-900">{draft.slice(parsed.position, parsed.position + 1) || '␣'}</mark>
          </>
        )}
      </p>
    </div>
  );
}
