/**
 * The testbed's Loki-API **stand-in** — not Grafana Loki (AGPL, not used here). It speaks
 * the parts of Loki's HTTP API Fleetdeck uses, with Loki's documented response envelopes,
 * over lines pushed to it, in memory. Queries run on the project's one LogQL evaluator
 * (`@fleetdeck/shared/logql-eval`, which the demo fleet's log source uses too); what it
 * does not support is answered 400 with the reason. Production points the BFF at a real Loki.
 *
 * Live tail: a push is delivered to every matching open tail as soon as it is stored —
 * no polling interval (a real Loki's querier batches). With `delay_for=N` the frame goes
 * out N seconds later. The floor for push → frame is therefore the push request itself.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocketServer } from 'ws';

import {
  ArrayStream,
  LogQLError,
  evaluateInstant,
  evaluateRange,
  labelNames,
  labelValues,
  matchingLabelSets,
  newTally,
  parseLogQL,
  selectLogs,
  type Entry,
  type LogQuery,
  type LogStore,
} from '@fleetdeck/shared/logql-eval';

import { HttpError, json, parseLimit, parseTime, readBody } from './http.ts';
import { deliver, frame, type DroppedEntriesMode, type TailSession } from './tail.ts';

export { parseTime } from './http.ts';
export type { DroppedEntriesMode } from './tail.ts';

export const LOKI_STANDIN_VERSION = 'loki-api-standin 2 (Fleetdeck testbed test stand-in, not Grafana Loki)';

export type PushStream = { stream: Record<string, string>; values: [string, string][] };

export interface LokiStandin {
  url: string;
  close(): Promise<void>;
  /** Adds lines as a push would (tenant: the X-Scope-OrgID; undefined for single-tenant). */
  push(tenant: string | undefined, streams: PushStream[]): void;
  /** What tail frames carry in `dropped_entries` from now on (see DroppedEntriesMode). */
  setTailDroppedEntries(mode: DroppedEntriesMode): void;
}

export interface LokiStandinOptions {
  port?: number;
  host?: string;
  multiTenant?: boolean;
  /** Default `null`, as Loki sends when nothing was dropped. */
  tailDroppedEntries?: DroppedEntriesMode;
}

const SINGLE_TENANT = 'fake';
const NS_PER_HOUR = 3_600_000_000_000n;
const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const DROPPED_MODES: readonly DroppedEntriesMode[] = ['null', 'missing', 'list'];

export async function startLokiStandin(opts: LokiStandinOptions = {}): Promise<LokiStandin> {
  const tenants = new Map<string, Map<string, ArrayStream>>();
  const tails = new Set<TailSession>();
  let droppedMode: DroppedEntriesMode = opts.tailDroppedEntries ?? 'null';

  const storeOf = (tenant: string): LogStore => ({ streams: () => tenants.get(tenant)?.values() ?? [] });

  const push = (tenant: string | undefined, streams: PushStream[]) => {
    const t = tenant ?? SINGLE_TENANT;
    let byKey = tenants.get(t);
    if (!byKey) tenants.set(t, (byKey = new Map<string, ArrayStream>()));
    for (const s of streams) {
      const k = key(s.stream);
      let stream = byKey.get(k);
      if (!stream) byKey.set(k, (stream = new ArrayStream({ ...s.stream })));
      const entries: Entry[] = s.values.map(([ts, line]) => [BigInt(ts), line]);
      stream.add(entries);
      deliver(tails, t, stream.labels, entries, droppedMode);
    }
  };

  const tenantOf = (req: IncomingMessage): string => {
    if (!opts.multiTenant) return SINGLE_TENANT;
    const org = req.headers['x-scope-orgid'];
    if (typeof org !== 'string' || org === '') throw new HttpError(401, 'no org id');
    return org;
  };

  const required = (q: string | null): string => {
    if (!q) throw new HttpError(400, 'query parameter "query" is required');
    return q;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const p = url.searchParams;
    if (url.pathname === '/ready') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
    if (url.pathname === '/testbed/tail-dropped-entries') {
      // Not Loki's: lets a test switch the tail frames' `dropped_entries` form on a running stand-in.
      if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
      const mode = p.get('mode') as DroppedEntriesMode;
      if (!DROPPED_MODES.includes(mode)) throw new HttpError(400, `mode must be one of ${DROPPED_MODES.join(', ')}`);
      droppedMode = mode;
      return void res.writeHead(204).end();
    }
    const tenant = tenantOf(req);
    const store = storeOf(tenant);
    const now = BigInt(Date.now()) * 1_000_000n;
    switch (url.pathname) {
      case '/loki/api/v1/push': {
        if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
        const type = req.headers['content-type'] ?? '';
        if (!type.startsWith('application/json'))
          throw new HttpError(415, `unsupported content type ${type || '(none)'}: this test stand-in accepts JSON pushes only`);
        let body: { streams?: PushStream[] };
        try {
          body = JSON.parse(await readBody(req)) as { streams?: PushStream[] };
        } catch {
          throw new HttpError(400, 'push body is not valid JSON');
        }
        if (!Array.isArray(body.streams)) throw new HttpError(400, 'push body needs "streams"');
        push(opts.multiTenant ? tenant : undefined, body.streams);
        return void res.writeHead(204).end();
      }
      case '/loki/api/v1/query_range': {
        const end = parseTime(p.get('end'), now);
        const start = parseTime(p.get('start'), end - NS_PER_HOUR);
        const direction = p.get('direction') ?? 'backward';
        if (direction !== 'forward' && direction !== 'backward') throw new HttpError(400, 'direction must be forward or backward');
        const data = evaluateRange(store, {
          query: required(p.get('query')),
          start,
          end,
          limit: parseLimit(p.get('limit'), 100),
          direction,
          step: p.get('step') ?? undefined,
        });
        return json(res, 200, { status: 'success', data });
      }
      case '/loki/api/v1/query': {
        const data = evaluateInstant(store, { query: required(p.get('query')), time: parseTime(p.get('time'), now) });
        return json(res, 200, { status: 'success', data });
      }
      case '/loki/api/v1/labels':
      case '/loki/api/v1/series': {
        const end = parseTime(p.get('end'), now);
        const span = { start: parseTime(p.get('start'), end - 6n * NS_PER_HOUR), end };
        if (url.pathname.endsWith('labels'))
          return json(res, 200, { status: 'success', data: labelNames(store, p.get('query') ?? undefined, span) });
        const selectors = p.getAll('match[]').concat(p.getAll('match'));
        if (selectors.length === 0) throw new HttpError(400, 'at least one match[] argument is required');
        return json(res, 200, { status: 'success', data: matchingLabelSets(store, selectors, span) });
      }
      default: {
        const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
        if (!m) throw new HttpError(404, '404 page not found');
        const end = parseTime(p.get('end'), now);
        const span = { start: parseTime(p.get('start'), end - 6n * NS_PER_HOUR), end };
        const data = labelValues(store, decodeURIComponent(m[1]!), p.get('query') ?? undefined, span);
        return json(res, 200, { status: 'success', data });
      }
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki.invalid');
    handle(req, res, url).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof LogQLError ? 400 : 500;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${(err as Error).message}\n`);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://loki.invalid');
    const p = url.searchParams;
    let tenant: string;
    let query: LogQuery;
    let limit: number;
    let delayMs: number;
    try {
      if (url.pathname !== '/loki/api/v1/tail') throw new HttpError(404, '404 page not found');
      tenant = tenantOf(req);
      const q = parseLogQL(p.get('query') ?? '');
      if (q.kind !== 'log') throw new HttpError(400, 'tail takes a log query');
      query = q;
      limit = parseLimit(p.get('limit'), 100);
      const delay = Number(p.get('delay_for') ?? 0);
      // Loki's own bound.
      if (!Number.isInteger(delay) || delay < 0 || delay > 5) throw new HttpError(400, 'delay_for must be an integer from 0 to 5');
      delayMs = delay * 1000;
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 400;
      socket.end(`HTTP/1.1 ${status} Error\r\ncontent-type: text/plain\r\n\r\n${(err as Error).message}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const now = BigInt(Date.now()) * 1_000_000n;
      const start = parseTime(p.get('start'), now - NS_PER_HOUR);
      // The lines since `start`, oldest first, as Loki's tail sends them first.
      const initial = selectLogs(query, storeOf(tenant), { start, end: now + 1n, limit, direction: 'forward' }, newTally());
      const text = frame(initial.streams, limit, droppedMode);
      if (text !== undefined) ws.send(text);
      const tail: TailSession = { tenant, query, limit, delayMs, socket: ws };
      tails.add(tail);
      ws.on('close', () => tails.delete(tail));
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    push,
    setTailDroppedEntries: (mode) => void (droppedMode = mode),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of tails) t.socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
