import { useState } from 'react';

const INPUT = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

/** A text filter that goes to the URL on Enter or when focus leaves it, not on every keystroke. */
export function TextFilter({
  label,
  value,
  onCommit,
  maxLength = 253,
}: {
  label: string;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  maxLength?: number;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  // The URL changed under us (Clear filters, a heat-map pick): show its value.
  if (seen !== value) {
    setSeen(value);
    setDraft(value ?? '');
  }
  const commit = () => {
    const next = draft.trim() || undefined;
    if (next !== value) onCommit(next);
  };
  return (
    <label className="flex flex-col text-xs font-medium">
      {label}
      <input
        type="search"
        className={INPUT}
        value={draft}
        maxLength={maxLength}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
    </label>
  );
}
