/**
 * The testbed's Loki-API **stand-in** — not Grafana Loki (AGPL, not used here). It speaks
 * the parts of Loki's HTTP API Fleetdeck uses, with Loki's documented response
 * envelopes, and evaluates a small LogQL subset (see logql.ts) over lines pushed to it,
 * in memory. Production points the BFF at a real Loki.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocketServer, type WebSocket } from 'ws';

import { LogQLError, lineMatches, parseLogQL, streamMatches, type LogQuery, type MetricQuery } from './logql.ts';

export const LOKI_STANDIN_VERSION = 'loki-api-standin 1 (Fleetdeck testbed test stand-in, not Grafana Loki)';

export type PushStream = { stream: Record<string, string>; values: [string, string][] };

export interface LokiStandin {
  url: string;
  close(): Promise<void>;
  /** Adds lines as a push would (tenant: the X-Scope-OrgID; undefined for single-tenant). */
  push(tenant: string | undefined, streams: PushStream[]): void;
}

interface Stream {
  labels: Record<string, string>;
  /** [ns, line], kept sorted by time. */
  entries: [bigint, string][];
}

const SINGLE_TENANT = 'fake';
const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Loki accepts unix ns, float seconds or RFC 3339. */
export function parseTime(value: string | null, fallback: bigint): bigint {
  if (value === null || value === '') return fallback;
  if (/^\d+$/.test(value)) return value.length <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  if (/^\d+\.\d+$/.test(value)) return BigInt(Math.round(Number(value) * 1e6)) * 1000n;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(400, `invalid time ${JSON.stringify(value)}`);
  return BigInt(ms) * 1_000_000n;
}

function parseStep(value: string | null, start: bigint, end: bigint): bigint {
  if (!value) {
    const seconds = Number((end - start) / 1_000_000_000n) / 250;
    return BigInt(Math.max(1, Math.floor(seconds))) * 1_000_000_000n;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return BigInt(Math.round(Number(value) * 1000)) * 1_000_000n;
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new HttpError(400, `invalid step ${JSON.stringify(value)}`);
  const unit = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return BigInt(m[1]!) * unit;
}

const seconds = (ns: bigint) => Number(ns / 1_000_000n) / 1000;

function stats(lines: number, bytes: number, returned: number) {
  // Loki always returns stats; the stand-in fills the summary it can know.
  return {
    summary: {
      bytesProcessedPerSecond: 0,
      linesProcessedPerSecond: 0,
      totalBytesProcessed: bytes,
      totalLinesProcessed: lines,
      execTime: 0,
      queueTime: 0,
      subqueries: 0,
      totalEntriesReturned: returned,
      splits: 0,
      shards: 0,
      totalPostFilterLines: returned,
      totalStructuredMetadataBytesProcessed: 0,
    },
  };
}

export async function startLokiStandin(opts: { port?: number; host?: string; multiTenant?: boolean } = {}): Promise<LokiStandin> {
  const tenants = new Map<string, Map<string, Stream>>();
  const tails = new Set<{ tenant: string; query: LogQuery; socket: WebSocket }>();

  const streamsOf = (tenant: string) => {
    let t = tenants.get(tenant);
    if (!t) tenants.set(tenant, (t = new Map<string, Stream>()));
    return t;
  };

  const push = (tenant: string | undefined, streams: PushStream[]) => {
    const t = streamsOf(tenant ?? SINGLE_TENANT);
    for (const s of streams) {
      const k = key(s.stream);
      let stream = t.get(k);
      if (!stream) t.set(k, (stream = { labels: { ...s.stream }, entries: [] }));
      for (const [ts, line] of s.values) stream.entries.push([BigInt(ts), line]);
      stream.entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const tail of tails) {
        if (tail.tenant !== (tenant ?? SINGLE_TENANT) || !streamMatches(tail.query, s.stream)) continue;
        const values = s.values.filter(([, line]) => lineMatches(tail.query, line));
        if (values.length > 0) tail.socket.send(JSON.stringify({ streams: [{ stream: s.stream, values }], dropped_entries: null }));
      }
    }
  };

  const tenantOf = (req: IncomingMessage): string => {
    const org = req.headers['x-scope-orgid'];
    if (!opts.multiTenant) return SINGLE_TENANT;
    if (typeof org !== 'string' || org === '') throw new HttpError(401, 'no org id');
    return org;
  };

  const selectEntries = (tenant: string, q: LogQuery, from: bigint, to: bigint) => {
    const out: { labels: Record<string, string>; entries: [bigint, string][] }[] = [];
    let scanned = 0;
    let bytes = 0;
    for (const s of tenants.get(tenant)?.values() ?? []) {
      if (!streamMatches(q, s.labels)) continue;
      const entries = s.entries.filter(([ts, line]) => {
        if (ts < from || ts >= to) return false;
        scanned++;
        bytes += line.length;
        return lineMatches(q, line);
      });
      if (entries.length > 0) out.push({ labels: s.labels, entries });
    }
    return { streams: out, scanned, bytes };
  };

  const logResult = (tenant: string, q: LogQuery, start: bigint, end: bigint, limit: number, direction: string) => {
    const { streams, scanned, bytes } = selectEntries(tenant, q, start, end);
    const all = streams.flatMap((s) => s.entries.map((e) => ({ s, e })));
    all.sort((a, b) => (a.e[0] < b.e[0] ? -1 : a.e[0] > b.e[0] ? 1 : 0));
    const picked = direction === 'forward' ? all.slice(0, limit) : all.slice(-limit).reverse();
    const grouped = new Map<Stream['labels'], [string, string][]>();
    for (const { s, e } of picked) {
      const list = grouped.get(s.labels) ?? [];
      list.push([e[0].toString(), e[1]]);
      grouped.set(s.labels, list);
    }
    const result = [...grouped.entries()].map(([stream, values]) => ({ stream, values }));
    return { resultType: 'streams', result, stats: stats(scanned, bytes, picked.length) };
  };

  /** Values at each evaluation time of a range aggregation, per output series. */
  const evaluate = (tenant: string, q: MetricQuery, times: bigint[]) => {
    const rangeNs = BigInt(Math.round(q.rangeSeconds * 1e9));
    const series = new Map<string, { metric: Record<string, string>; points: Map<bigint, number> }>();
    let scanned = 0;
    for (const s of tenants.get(tenant)?.values() ?? []) {
      if (!streamMatches(q.log, s.labels)) continue;
      const metric =
        q.sumBy === undefined
          ? s.labels
          : Object.fromEntries(q.sumBy.filter((l) => s.labels[l] !== undefined).map((l) => [l, s.labels[l]!]));
      const k = key(metric);
      let out = series.get(k);
      if (!out) series.set(k, (out = { metric, points: new Map() }));
      for (const t of times) {
        let count = 0;
        for (const [ts, line] of s.entries) {
          if (ts <= t - rangeNs || ts > t) continue;
          scanned++;
          if (lineMatches(q.log, line)) count++;
        }
        if (count === 0) continue;
        const value = q.fn === 'rate' ? count / q.rangeSeconds : count;
        out.points.set(t, (out.points.get(t) ?? 0) + value);
      }
    }
    return { series: [...series.values()].filter((s) => s.points.size > 0), scanned };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const p = url.searchParams;
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/ready') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
    const tenant = tenantOf(req);
    const now = BigInt(Date.now()) * 1_000_000n;
    const parse = (q: string | null) => {
      if (!q) throw new HttpError(400, 'query parameter "query" is required');
      try {
        return parseLogQL(q);
      } catch (err) {
        if (err instanceof LogQLError) throw new HttpError(400, err.message);
        throw err;
      }
    };
    switch (url.pathname) {
      case '/loki/api/v1/push': {
        if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
        const type = req.headers['content-type'] ?? '';
        if (!type.startsWith('application/json'))
          throw new HttpError(415, `unsupported content type ${type || '(none)'}: this test stand-in accepts JSON pushes only`);
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        let body: { streams?: PushStream[] };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString()) as { streams?: PushStream[] };
        } catch {
          throw new HttpError(400, 'push body is not valid JSON');
        }
        if (!Array.isArray(body.streams)) throw new HttpError(400, 'push body needs "streams"');
        push(opts.multiTenant ? tenant : undefined, body.streams);
        return void res.writeHead(204).end();
      }
      case '/loki/api/v1/query_range': {
        const q = parse(p.get('query'));
        const end = parseTime(p.get('end'), now);
        const start = parseTime(p.get('start'), end - 3_600_000_000_000n);
        const limit = Number(p.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit <= 0) throw new HttpError(400, 'limit must be a positive integer');
        if (q.kind === 'log')
          return json(200, { status: 'success', data: logResult(tenant, q, start, end, limit, p.get('direction') ?? 'backward') });
        const step = parseStep(p.get('step'), start, end);
        const times: bigint[] = [];
        for (let t = start; t <= end; t += step) times.push(t);
        const { series, scanned } = evaluate(tenant, q, times);
        const result = series.map((s) => ({
          metric: s.metric,
          values: [...s.points.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([t, v]) => [seconds(t), String(v)]),
        }));
        return json(200, { status: 'success', data: { resultType: 'matrix', result, stats: stats(scanned, 0, 0) } });
      }
      case '/loki/api/v1/query': {
        const q = parse(p.get('query'));
        if (q.kind === 'log')
          throw new HttpError(
            400,
            'log queries are not supported as an instant query type, please change your query to a range query type',
          );
        const time = parseTime(p.get('time'), now);
        const { series, scanned } = evaluate(tenant, q, [time]);
        const result = series.map((s) => ({ metric: s.metric, value: [seconds(time), String(s.points.get(time))] }));
        return json(200, { status: 'success', data: { resultType: 'vector', result, stats: stats(scanned, 0, 0) } });
      }
      case '/loki/api/v1/labels':
      case '/loki/api/v1/series': {
        const end = parseTime(p.get('end'), now);
        const start = parseTime(p.get('start'), end - 21_600_000_000_000n);
        const selectors = url.pathname.endsWith('series')
          ? p.getAll('match[]').concat(p.getAll('match'))
          : p.get('query')
            ? [p.get('query')!]
            : [];
        if (url.pathname.endsWith('series') && selectors.length === 0)
          throw new HttpError(400, 'at least one match[] argument is required');
        const queries = selectors.map((s) => {
          const q = parse(s);
          if (q.kind !== 'log') throw new HttpError(400, 'only stream selectors are allowed here');
          return q;
        });
        const matching = [...(tenants.get(tenant)?.values() ?? [])].filter(
          (s) =>
            s.entries.some(([ts]) => ts >= start && ts < end) && (queries.length === 0 || queries.some((q) => streamMatches(q, s.labels))),
        );
        if (url.pathname.endsWith('series')) return json(200, { status: 'success', data: matching.map((s) => s.labels) });
        return json(200, { status: 'success', data: [...new Set(matching.flatMap((s) => Object.keys(s.labels)))].sort() });
      }
      default: {
        const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
        if (!m) throw new HttpError(404, '404 page not found');
        const name = decodeURIComponent(m[1]!);
        const end = parseTime(p.get('end'), now);
        const start = parseTime(p.get('start'), end - 21_600_000_000_000n);
        const q = p.get('query') ? parse(p.get('query')) : undefined;
        if (q && q.kind !== 'log') throw new HttpError(400, 'only stream selectors are allowed here');
        const values = [...(tenants.get(tenant)?.values() ?? [])]
          .filter((s) => s.entries.some(([ts]) => ts >= start && ts < end) && (!q || streamMatches(q, s.labels)))
          .map((s) => s.labels[name])
          .filter((v): v is string => v !== undefined);
        return json(200, { status: 'success', data: [...new Set(values)].sort() });
      }
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki.invalid');
    handle(req, res, url).catch((err: unknown) => {
      // Loki answers errors as plain text.
      const status = err instanceof HttpError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${(err as Error).message}\n`);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://loki.invalid');
    let tenant: string;
    let query: LogQuery;
    try {
      if (url.pathname !== '/loki/api/v1/tail') throw new HttpError(404, '404 page not found');
      tenant = tenantOf(req);
      const q = parseLogQL(url.searchParams.get('query') ?? '');
      if (q.kind !== 'log') throw new HttpError(400, 'tail takes a log query');
      query = q;
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 400;
      socket.end(`HTTP/1.1 ${status} Error\r\ncontent-type: text/plain\r\n\r\n${(err as Error).message}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const now = BigInt(Date.now()) * 1_000_000n;
      const start = parseTime(url.searchParams.get('start'), now - 3_600_000_000_000n);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const initial = logResult(tenant, query, start, now + 1n, limit, 'forward');
      if (initial.result.length > 0) ws.send(JSON.stringify({ streams: initial.result, dropped_entries: null }));
      const tail = { tenant, query, socket: ws };
      tails.add(tail);
      ws.on('close', () => tails.delete(tail));
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    push,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of tails) t.socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
