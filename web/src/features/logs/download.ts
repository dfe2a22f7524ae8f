import type { LogEntry } from './log-entries.ts';
import { streamSelector } from './logql-text.ts';
import type { LineSource } from './tail-buffer.ts';

export type DownloadFormat = 'text' | 'json';

/** Exact RFC 3339 time with the nanoseconds Loki keeps (the Date part has only milliseconds). */
export function nsToIso(ns: string, ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = ns.length > 9 ? ns.slice(-9) : ns.padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/** One line per entry, newest first as shown: time, level, stream labels, the line. */
export function formatText(lines: LineSource): string {
  const out: string[] = [];
  for (let i = 0; i < lines.size; i++) {
    const e = lines.at(i);
    out.push(`${nsToIso(e.ns, e.ms)} ${e.level} ${streamSelector(e.labels)} ${e.line}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** A JSON array, newest first as shown; times exact (nanosecond digits) and readable. */
export function formatJson(lines: LineSource): string {
  const out: { timestamp: string; ns: string; level: LogEntry['level']; labels: Readonly<Record<string, string>>; line: string }[] = [];
  for (let i = 0; i < lines.size; i++) {
    const e = lines.at(i);
    out.push({ timestamp: nsToIso(e.ns, e.ms), ns: e.ns, level: e.level, labels: e.labels, line: e.line });
  }
  return JSON.stringify(out, null, 2);
}

/** Saves the lines as a file through the browser. */
export function downloadLines(lines: LineSource, format: DownloadFormat, now = new Date()): void {
  const body = format === 'json' ? formatJson(lines) : formatText(lines);
  const blob = new Blob([body], { type: format === 'json' ? 'application/json' : 'text/plain' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `logs-${now.toISOString().replaceAll(':', '-')}.${format === 'json' ? 'json' : 'log'}`;
  a.click();
  // The click has started the download; the object URL may go after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
