import type { LogsStream } from '@fleetdeck/shared';

import { detectLevel, type LogLevel } from './log-level.ts';

/**
 * One log line as the list holds it. Built once when lines arrive (level detected then),
 * so rendering a row does no parsing; the stream's labels are shared by its lines.
 */
export interface LogEntry {
  /** Unique within the page's lifetime: the row key. */
  id: number;
  /** Loki's unix-nanosecond timestamp, as digits (exact). */
  ns: string;
  /** The same in milliseconds (sorting, relative times). */
  ms: number;
  line: string;
  labels: Readonly<Record<string, string>>;
  level: LogLevel;
  /** When a live tail delivered it (ms); undefined for lines from a query. */
  arrivedAt?: number;
}

let nextId = 1;

const nsToMs = (ns: string): number => Number(ns.length > 6 ? ns.slice(0, -6) : '0');

/** Compares two nanosecond digit strings (no leading zeros) without BigInt. */
export function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The entries of Loki streams, oldest first (ties keep stream order). */
export function entriesOf(streams: readonly LogsStream[], arrivedAt?: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (const s of streams) {
    for (const [ns, line] of s.values) {
      out.push({
        id: nextId++,
        ns,
        ms: nsToMs(ns),
        line,
        labels: s.stream,
        level: detectLevel(line, s.stream),
        ...(arrivedAt !== undefined && { arrivedAt }),
      });
    }
  }
  return out.sort((a, b) => compareNs(a.ns, b.ns));
}

/** The newest entry's timestamp, or undefined for none. */
export function newestNs(entries: readonly LogEntry[]): string | undefined {
  let best: string | undefined;
  for (const e of entries) if (best === undefined || compareNs(e.ns, best) > 0) best = e.ns;
  return best;
}
