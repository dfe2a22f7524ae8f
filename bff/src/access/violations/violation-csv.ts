import type { Writable } from 'node:stream';

import { VIOLATION_CSV_COLUMNS, type Violation } from '@fleetdeck/shared';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
 * A cell a spreadsheet would read as a formula (starting with = + - @, or a tab / CR
 * that some spreadsheets skip before one) gets a leading single quote first.
 */
export function csvCell(value: string | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (string | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = csvRow(VIOLATION_CSV_COLUMNS);

/** The cells of one violation in VIOLATION_CSV_COLUMNS order; `tenant` comes from the inventory. */
export function violationCells(v: Violation, tenant: string | undefined): (string | undefined)[] {
  const byColumn: Record<(typeof VIOLATION_CSV_COLUMNS)[number], string | undefined> = {
    cluster: v.cluster,
    tenant,
    engine: v.engine,
    policy: v.policy,
    rule: v.rule,
    severity: v.severity,
    action: v.action,
    result: v.result,
    category: v.category,
    kind: v.resource.kind,
    namespace: v.resource.namespace,
    name: v.resource.name,
    message: v.message,
    firstSeenAt: v.firstSeenAt,
    lastSeenAt: v.lastSeenAt,
  };
  return VIOLATION_CSV_COLUMNS.map((c) => byColumn[c]);
}

/** Resolves when the stream can take more, or is gone; leaves no listener behind. */
function drainOrClose(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Writes header and rows in chunks of about `chunkBytes`, waiting for `drain` whenever
 * the socket's buffer is full (a slow client cannot make us hold the whole file), and
 * stopping when the client goes away. Resolves with the rows written.
 */
export async function streamCsv(
  out: Writable,
  rows: Iterable<Violation>,
  tenantOf: (cluster: string) => string | undefined,
  chunkBytes = 64 * 1024,
): Promise<number> {
  let chunk = CSV_HEADER;
  let written = 0;
  const flush = async (): Promise<boolean> => {
    if (out.destroyed || out.writableEnded) return false;
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await drainOrClose(out);
    return !out.destroyed;
  };
  for (const v of rows) {
    chunk += csvRow(violationCells(v, tenantOf(v.cluster)));
    written++;
    if (chunk.length >= chunkBytes && !(await flush())) return written;
  }
  if (chunk && !(await flush())) return written;
  out.end();
  return written;
}
