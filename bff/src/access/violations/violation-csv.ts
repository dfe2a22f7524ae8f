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

/** Whether the CSV starts with cluster, tenant: then a row is its cluster's prefix and a tail that depends on the row alone. */
const CLUSTER_TENANT_FIRST = VIOLATION_CSV_COLUMNS[0] === 'cluster' && VIOLATION_CSV_COLUMNS[1] === 'tenant';
/**
 * Each row's cells after cluster and tenant, as CSV text, made once per row object: rows
 * are immutable and replaced (not edited) when a cluster's findings change, so an entry
 * lives exactly as long as its row. An export of the whole fleet then joins cached text
 * instead of quoting 20,000 × 15 cells per request.
 */
const tails = new WeakMap<Violation, string>();

/** One violation's CSV line; `prefix` is `cluster,tenant,` as CSV, the same for every row of a cluster. */
function csvLine(v: Violation, prefix: string, tenant: string | undefined): string {
  if (!CLUSTER_TENANT_FIRST) return csvRow(violationCells(v, tenant));
  let tail = tails.get(v);
  if (tail === undefined) tails.set(v, (tail = csvRow(violationCells(v, undefined).slice(2))));
  return prefix + tail;
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
  // The export comes grouped by cluster: tenant and prefix are looked up once per cluster.
  let cluster: string | undefined;
  let tenant: string | undefined;
  let prefix = '';
  for (const v of rows) {
    if (v.cluster !== cluster) {
      cluster = v.cluster;
      tenant = tenantOf(cluster);
      prefix = `${csvCell(cluster)},${csvCell(tenant)},`;
    }
    chunk += csvLine(v, prefix, tenant);
    written++;
    if (chunk.length >= chunkBytes && !(await flush())) return written;
  }
  if (chunk && !(await flush())) return written;
  out.end();
  return written;
}
