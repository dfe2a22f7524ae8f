import { Download, Eraser, Pause, Play, Radio } from 'lucide-react';
import { useId } from 'react';

import type { DownloadFormat } from './download.ts';

const BUTTON =
  'inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';
const ON = 'border-teal-700 bg-teal-700 text-white hover:bg-teal-800 dark:hover:bg-teal-600';

function Toggle({ label, on, onChange }: { label: string; on: boolean; onChange: (on: boolean) => void }) {
  return (
    <button type="button" aria-pressed={on} onClick={() => onChange(!on)} className={`${BUTTON} ${on ? ON : ''}`}>
      {label}
    </button>
  );
}

export interface LogsToolbarProps {
  live: boolean;
  paused: boolean;
  pending: number;
  onLive: (on: boolean) => void;
  onPause: () => void;
  onResume: () => void;
  onClear: () => void;
  wrap: boolean;
  onWrap: (on: boolean) => void;
  prettify: boolean;
  onPrettify: (on: boolean) => void;
  find: string;
  onFind: (text: string) => void;
  onDownload: (format: DownloadFormat) => void;
  lineCount: number;
}

/** The list's controls: live tail, how lines read, what to highlight, and downloads. */
export function LogsToolbar(p: LogsToolbarProps) {
  const findId = useId();
  return (
    <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Log lines">
      <button type="button" aria-pressed={p.live} onClick={() => p.onLive(!p.live)} className={`${BUTTON} ${p.live ? ON : ''}`}>
        <Radio aria-hidden className="size-4" />
        Live tail
      </button>
      {p.live &&
        (p.paused ? (
          <button type="button" onClick={p.onResume} className={BUTTON}>
            <Play aria-hidden className="size-4" />
            Resume{p.pending > 0 && ` (${p.pending.toLocaleString('en')} new)`}
          </button>
        ) : (
          <button type="button" onClick={p.onPause} className={BUTTON}>
            <Pause aria-hidden className="size-4" />
            Pause
          </button>
        ))}
      {p.live && (
        <button type="button" onClick={p.onClear} className={BUTTON}>
          <Eraser aria-hidden className="size-4" />
          Clear
        </button>
      )}
      <Toggle label="Wrap lines" on={p.wrap} onChange={p.onWrap} />
      <Toggle label="Prettify JSON" on={p.prettify} onChange={p.onPrettify} />
      <label htmlFor={findId} className="text-sm">
        Highlight
      </label>
      <input
        id={findId}
        type="search"
        value={p.find}
        maxLength={200}
        onChange={(e) => p.onFind(e.target.value)}
        className="w-40 rounded border border-slate-300 bg-white px-2 py-0.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <span className="ml-auto inline-flex gap-1">
        <button type="button" onClick={() => p.onDownload('text')} disabled={p.lineCount === 0} className={BUTTON}>
          <Download aria-hidden className="size-4" />
          Download text
        </button>
        <button type="button" onClick={() => p.onDownload('json')} disabled={p.lineCount === 0} className={BUTTON}>
          <Download aria-hidden className="size-4" />
          Download JSON
        </button>
      </span>
    </div>
  );
}
