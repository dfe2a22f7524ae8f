import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

import '@fleetdeck/testbed/vitest-context';

import type { LokiTailFrame, LokiTailParams, OrgIds } from '../../src/sources/loki/loki-api.ts';
import { LokiClient, LokiError } from '../../src/sources/loki/loki-client.ts';

/**
 * LokiClient.tail against a websocket server the test scripts (what Loki's documented
 * tail sends, and the ways it can go wrong), and against the testbed's Loki-API stand-in.
 */
const env = inject('testbed');

const NOW_NS = () => BigInt(Date.now()) * 1_000_000n;
const params = (query = '{cluster="a"}'): LokiTailParams => ({ query, start: NOW_NS(), limit: 10, delayForSeconds: 0 });

/** One tail's life as handlers saw it. */
function record() {
  const seen = { opened: 0, frames: [] as LokiTailFrame[], closes: [] as (Error | undefined)[] };
  let settle: () => void = () => {};
  const closed = new Promise<void>((resolve) => (settle = resolve));
  const handlers = {
    onOpen: () => void seen.opened++,
    onFrame: (f: LokiTailFrame) => void seen.frames.push(f),
    onClose: (e?: Error) => {
      seen.closes.push(e);
      settle();
    },
  };
  return { seen, handlers, closed };
}
const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let http: Server;
let wss: WebSocketServer;
let base: string;
const upgrades: { url: string; headers: IncomingHttpHeaders }[] = [];
/** What the scripted server does with the next connection. */
let script: (ws: WebSocket) => void = () => {};
const serverSockets: WebSocket[] = [];

beforeAll(async () => {
  http = createServer((_req, res) => res.writeHead(404).end());
  wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    upgrades.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/refuse')) {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nparse error at line 1, col 2: Loki internals\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serverSockets.push(ws);
      script(ws);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterEach(() => {
  upgrades.length = 0;
  script = () => {};
});
afterAll(async () => {
  for (const s of serverSockets) s.terminate();
  wss?.close();
  await new Promise((resolve) => http?.close(resolve));
});

const client = (opts: { url?: string; maxTailFrameBytes?: number; tailConnectTimeoutMs?: number } = {}) =>
  new LokiClient({ url: opts.url ?? base, timeoutMs: 2000, ...opts });

describe('LokiClient.tail against a scripted Loki', () => {
  it("opens Loki's tail websocket with Loki's parameters and parses the documented frames", async () => {
    script = (ws) => {
      ws.send(
        JSON.stringify({
          streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000001', 'one']] }],
          dropped_entries: [{ labels: { cluster: 'a' }, timestamp: '1700000000000000000' }],
        }),
      );
      ws.send(JSON.stringify({ streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000002', 'two']] }], dropped_entries: null }));
      ws.send(JSON.stringify({ streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000003', 'three']] }] }));
    };
    const { seen, handlers } = record();
    const p = { ...params('{cluster="a"} |= "x"'), limit: 7, delayForSeconds: 3 };
    const tail = client().tail(p, undefined, handlers);
    await waitFor(() => seen.frames.length === 3);
    expect(seen.opened).toBe(1);
    expect(seen.frames).toEqual([
      { streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000001', 'one']] }], dropped: 1 },
      { streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000002', 'two']] }], dropped: 0 },
      { streams: [{ stream: { cluster: 'a' }, values: [['1700000000000000003', 'three']] }], dropped: 0 },
    ]);
    const url = new URL(upgrades[0]!.url, base);
    expect(url.pathname).toBe('/loki/api/v1/tail');
    expect(Object.fromEntries(url.searchParams)).toEqual({ query: p.query, start: p.start.toString(), limit: '7', delay_for: '3' });
    expect(upgrades[0]!.headers['x-scope-orgid']).toBeUndefined();
    tail.close();
    expect(seen.closes).toEqual([undefined]);
  });

  it('sends X-Scope-OrgID only from the org ids given, and opens nothing for an empty or malformed list', async () => {
    const one = record();
    const tail = client().tail(params(), ['org-b', 'org-a', 'org-b'], one.handlers);
    await waitFor(() => one.seen.opened === 1);
    expect(upgrades.map((u) => u.headers['x-scope-orgid'])).toEqual(['org-a|org-b']);
    tail.close();
    for (const orgs of [[], ['a|b'], ['']] as OrgIds[]) {
      const r = record();
      client().tail(params(), orgs, r.handlers);
      await r.closed;
      expect(r.seen.closes[0]).toBeInstanceOf(LokiError);
      expect(r.seen.closes[0]!.message).toBe('no Loki tenant to query');
      expect(r.seen.opened).toBe(0);
    }
    expect(upgrades).toHaveLength(1);
  });

  it('ends once, with a safe error, on a malformed frame, and closes the socket', async () => {
    let serverClosed = false;
    script = (ws) => {
      ws.on('close', () => (serverClosed = true));
      ws.send(JSON.stringify({ streams: [{ stream: { cluster: 'a' }, values: [[1700000000, 'numeric ts']] }] }));
      ws.send(JSON.stringify({ streams: [] }));
    };
    const r = record();
    client().tail(params(), undefined, r.handlers);
    await r.closed;
    await waitFor(() => serverClosed);
    expect(r.seen.frames).toEqual([]);
    expect(r.seen.closes).toHaveLength(1);
    expect(r.seen.closes[0]!.message).toMatch(/unexpected shape/);
  });

  it('ends on a frame over the byte cap', async () => {
    script = (ws) => ws.send(JSON.stringify({ streams: [{ stream: { cluster: 'a' }, values: [['1', 'x'.repeat(5000)]] }] }));
    const r = record();
    client({ maxTailFrameBytes: 1024 }).tail(params(), undefined, r.handlers);
    await r.closed;
    expect(r.seen.frames).toEqual([]);
    expect(r.seen.closes[0]!.message).toBe('Loki sent a tail frame over 1 KiB');
  });

  it('reports Loki ending the tail, once', async () => {
    script = (ws) => setTimeout(() => ws.close(1011, 'internal'), 50);
    const r = record();
    const tail = client().tail(params(), undefined, r.handlers);
    await r.closed;
    tail.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.seen.opened).toBe(1);
    expect(r.seen.closes).toHaveLength(1);
    expect(r.seen.closes[0]!.message).toBe('Loki ended the live tail (code 1011)');
  });

  it('closes the upstream socket on close(), and onClose follows without an error', async () => {
    let serverClosed = false;
    script = (ws) => ws.on('close', () => (serverClosed = true));
    const r = record();
    const tail = client().tail(params(), undefined, r.handlers);
    await waitFor(() => r.seen.opened === 1);
    tail.close();
    tail.close();
    await waitFor(() => serverClosed);
    expect(r.seen.closes).toEqual([undefined]);
  });

  it("answers Loki's refusal as 'refused' without Loki's words, and unreachable or silent Lokis as 'upstream'", async () => {
    const refused = record();
    client({ url: `${base}/refuse` }).tail(params(), undefined, refused.handlers);
    await refused.closed;
    const err = refused.seen.closes[0] as LokiError;
    expect(err.kind).toBe('refused');
    expect(err.message).toBe('Loki refused the live tail (HTTP 400)');

    const down = record();
    client({ url: 'http://127.0.0.1:9' }).tail(params(), undefined, down.handlers);
    await down.closed;
    expect((down.seen.closes[0] as LokiError).kind).toBe('upstream');
    expect(down.seen.closes[0]!.message).toBe('Loki is unreachable');

    // Accepts the connection, never answers the handshake.
    const held: Socket[] = [];
    const silent: TcpServer = createTcpServer((s) => void held.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = record();
      const started = Date.now();
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      client({ url, tailConnectTimeoutMs: 300 }).tail(params(), undefined, slow.handlers);
      await slow.closed;
      expect(slow.seen.closes[0]!.message).toBe('Loki did not open the live tail within 0.3 s');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('LokiClient.tail against the stand-in (contract)', () => {
  const orgs = () => (env.loki.multiTenant ? ['fake'] : undefined);
  const push = async (line: string, cluster = 'prod-us-east') => {
    const res = await fetch(`${env.loki.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(env.loki.multiTenant && { 'x-scope-orgid': 'fake' }) },
      body: JSON.stringify({
        streams: [{ stream: { cluster, namespace: 'contract', container: 'contract' }, values: [[NOW_NS().toString(), line]] }],
      }),
    });
    expect(res.status).toBe(204);
  };
  const mode = async (m: 'null' | 'missing' | 'list') => {
    const res = await fetch(`${env.loki.url}/testbed/tail-dropped-entries?mode=${m}`, { method: 'POST' });
    expect(res.status).toBe(204);
  };
  afterAll(async () => {
    await mode('null');
  });

  it('backfills seeded lines (ns string timestamps), then relays a push live, in every dropped_entries form', async () => {
    const backfill = record();
    const start = NOW_NS() - 10n * 60n * 1_000_000_000n;
    const seeded = client({ url: env.loki.url }).tail(
      { query: '{cluster="prod-us-east"}', start, limit: 5, delayForSeconds: 0 },
      orgs(),
      backfill.handlers,
    );
    await waitFor(() => backfill.seen.frames.length > 0);
    const values = backfill.seen.frames[0]!.streams.flatMap((s) => s.values);
    expect(values.length).toBeGreaterThan(0);
    expect(values.length).toBeLessThanOrEqual(5);
    expect(values[0]![0]).toMatch(/^\d{19}$/);
    seeded.close();

    for (const m of ['null', 'missing', 'list'] as const) {
      await mode(m);
      const r = record();
      const tail = client({ url: env.loki.url }).tail(
        { query: '{container="contract"}', start: NOW_NS(), limit: 1, delayForSeconds: 0 },
        orgs(),
        r.handlers,
      );
      await waitFor(() => r.seen.opened === 1);
      await push(`contract ${m}`);
      await waitFor(() => r.seen.frames.length > 0);
      expect(r.seen.frames[0]!.streams[0]!.values[0]![1]).toBe(`contract ${m}`);
      expect(r.seen.frames[0]!.dropped).toBe(0);
      tail.close();
      expect(r.seen.closes).toEqual([undefined]);
    }
  });

  it('counts the entries a list-form dropped_entries names', async () => {
    await mode('list');
    const r = record();
    const tail = client({ url: env.loki.url }).tail(
      { query: '{container="contract"}', start: NOW_NS(), limit: 1, delayForSeconds: 0 },
      orgs(),
      r.handlers,
    );
    await waitFor(() => r.seen.opened === 1);
    // One push of three entries; the stand-in keeps `limit` per frame and lists the rest as dropped.
    const ns = NOW_NS();
    const res = await fetch(`${env.loki.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(env.loki.multiTenant && { 'x-scope-orgid': 'fake' }) },
      body: JSON.stringify({
        streams: [
          {
            stream: { cluster: 'prod-us-east', namespace: 'contract', container: 'contract' },
            values: [0n, 1n, 2n].map((i) => [(ns + i).toString(), `burst ${i}`]),
          },
        ],
      }),
    });
    expect(res.status).toBe(204);
    await waitFor(() => r.seen.frames.length > 0);
    expect(r.seen.frames[0]).toEqual({
      streams: [
        { stream: { cluster: 'prod-us-east', namespace: 'contract', container: 'contract' }, values: [[(ns + 2n).toString(), 'burst 2']] },
      ],
      dropped: 2,
    });
    tail.close();
  });
});
