import { useQuery } from '@tanstack/react-query';
import { memo, useId, useState } from 'react';

import type { HealthView } from '../health/health-window.ts';
import { labelValuesQuery } from './logs-queries.ts';
import { selectorOf } from './logql-text.ts';

/** The browsing order: each choice narrows the next list. */
const LEVELS = ['cluster', 'namespace', 'pod', 'container'] as const;
type Level = (typeof LEVELS)[number];
type Choices = Partial<Record<Level, string>>;

const SELECT = 'w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

/** One label's list: its values among the streams the choices before it select (and the BFF's scope allows). */
function LabelSelect({
  name,
  selector,
  view,
  value,
  waitsFor,
  onChange,
}: {
  name: Level;
  selector: string;
  view: HealthView;
  value: string | undefined;
  /** The choice this list waits for (undefined: it loads at once). */
  waitsFor: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  const values = useQuery({ ...labelValuesQuery(name, selector, view), enabled: waitsFor === undefined });
  const options = values.data ?? [];
  if (waitsFor !== undefined) {
    return (
      <div className="min-w-36 flex-1">
        <label htmlFor={id} className="block text-xs font-medium capitalize">
          {name}
        </label>
        <select id={id} className={SELECT} disabled value="">
          <option value="">Choose a {waitsFor} first</option>
        </select>
      </div>
    );
  }
  return (
    <div className="min-w-36 flex-1">
      <label htmlFor={id} className="block text-xs font-medium capitalize">
        {name}
      </label>
      <select
        id={id}
        className={SELECT}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
        aria-busy={values.isFetching}
      >
        <option value="">{values.isPending ? 'Loading…' : values.isError ? 'Could not load' : `Any ${name} (${options.length})`}</option>
        {/* A value chosen before (or from a link) stays choosable while the list reloads. */}
        {value !== undefined && !options.includes(value) && <option value={value}>{value}</option>}
        {options.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
      {values.isError && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {values.error.message}
        </p>
      )}
    </div>
  );
}

/**
 * What a list waits for: pods and containers are many, so they are listed once a cluster
 * or namespace (pods) or a pod (containers) is chosen; this also keeps the page's first
 * requests few (a browser opens about six at a time), so the lines come first.
 */
function waitsFor(level: Level, choices: Choices): string | undefined {
  if (level === 'pod' && choices.cluster === undefined && choices.namespace === undefined) return 'cluster or namespace';
  if (level === 'container' && choices.pod === undefined) return 'pod';
  return undefined;
}

/**
 * Cluster → namespace → pod → container: each list holds only the values among the
 * streams chosen so far (the BFF adds the person's scope to every lookup). "Show these
 * logs" puts the selector into the query box and runs it.
 * Memoised: the live tail re-renders the page on every batch of lines; this part need not.
 */
export const LabelBrowser = memo(function LabelBrowser({ view, onUse }: { view: HealthView; onUse: (selector: string) => void }) {
  const [choices, setChoices] = useState<Choices>({});
  const choose = (level: Level, value: string | undefined) => {
    // A new choice clears the ones below it: they belonged to the old one.
    const next: Choices = {};
    for (const l of LEVELS.slice(0, LEVELS.indexOf(level))) next[l] = choices[l];
    next[level] = value;
    setChoices(next);
  };
  const selector = selectorOf(LEVELS.map((l) => [l, choices[l]] as const));
  return (
    <fieldset className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold">Label browser</legend>
      <div className="flex flex-wrap items-end gap-2">
        {LEVELS.map((level, i) => (
          <LabelSelect
            key={level}
            name={level}
            selector={selectorOf(LEVELS.slice(0, i).map((l) => [l, choices[l]] as const))}
            view={view}
            value={choices[level]}
            waitsFor={waitsFor(level, choices)}
            onChange={(v) => choose(level, v)}
          />
        ))}
        <button
          type="button"
          onClick={() => onUse(selector)}
          className="rounded bg-teal-700 px-3 py-1 text-sm font-medium text-white hover:bg-teal-800 dark:bg-teal-600 dark:hover:bg-teal-500"
        >
          Show these logs
        </button>
      </div>
      <p className="mt-1 font-mono text-xs text-slate-600 dark:text-slate-300">{selector}</p>
    </fieldset>
  );
});
