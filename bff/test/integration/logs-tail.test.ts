import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { type LogsTailLines, Problem, logsApiPaths, logsTailEvents, type Principal } from '@fleetdeck/shared';

import { LOGS_TAIL_LIMITS } from '../../src/routes/logs-tail-limits.ts';
import type { RunningServer } from '../../src/server.ts';
import { startRealModeBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';
import { pushLines } from '../helpers/loki-push.ts';

/**
 * GET /api/logs/tail against the testbed's Loki-API stand-in, through a TCP proxy that
 * records every websocket the BFF opens (its request line and X-Scope-OrgID) and when
 * it closes: what Loki receives, and that nothing stays open behind a browser that left.
 */
const env = inject('testbed');

const ADMIN: Principal = { user: 'admin@example.com', groups: ['fleet-platform-admins'] };
const A_ADMIN: Principal = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const A_DEV: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const B_VIEWER: Principal = { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] };

interface Upstream {
  path: string;
  query: string;
  org: string | undefined;
  open: boolean;
}
const upstreams: Upstream[] = [];
let proxy: Server;
let bff: RunningServer;
let bffOrgs: RunningServer;
let bffDown: RunningServer;

beforeAll(async () => {
  const loki = new URL(env.loki.url);
  proxy = createServer((client) => {
    const rec: Upstream = { path: '', query: '', org: undefined, open: true };
    upstreams.push(rec);
    const up = connect(Number(loki.port), loki.hostname);
    let head = '';
    client.on('data', (chunk: Buffer) => {
      if (!rec.path) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end >= 0) {
          const [requestLine, ...headers] = head.slice(0, end).split('\r\n');
          const url = new URL(requestLine!.split(' ')[1]!, 'http://x');
          rec.path = url.pathname;
          rec.query = url.searchParams.get('query') ?? '';
          rec.org = headers.find((h) => /^x-scope-orgid:/i.test(h))?.replace(/^[^:]*:\s*/, '');
        }
      }
      up.write(chunk);
    });
    up.pipe(client);
    const done = () => {
      rec.open = false;
      client.destroy();
      up.destroy();
    };
    client.on('close', done).on('error', done);
    up.on('close', done).on('error', done);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  bff = await startRealModeBff({ overrides: { loki: { url: proxyUrl } } });
  bffOrgs = await startRealModeBff({
    overrides: { loki: { url: proxyUrl, tenantOrgIds: { 'client-a': 'org-a', 'client-b': 'org-b', 'client-c': 'org-c' } } },
  });
  bffDown = await startRealModeBff({ overrides: { loki: { url: 'http://127.0.0.1:9' } } });
});
afterAll(async () => {
  await bff?.close();
  await bffOrgs?.close();
  await bffDown?.close();
  await new Promise((resolve) => proxy?.close(resolve));
});

const waitFor = async (check: () => boolean, what: string, ms = 8000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

type Event = { name: keyof typeof logsTailEvents; data: unknown };

/** A tail as a browser holds it: the answer, the events so far (checked against the contract), and a way to leave. */
async function tail(server: RunningServer, cookie: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${server.url}${logsApiPaths.tail}?${new URLSearchParams(params).toString()}`, {
    headers: { cookie, accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events: Event[] = [];
  let ended = false;
  if (res.ok && res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const name = /^event: (.+)$/m.exec(block)?.[1] as Event['name'] | undefined;
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (name && data !== undefined) events.push({ name, data: logsTailEvents[name].parse(JSON.parse(data)) });
          }
        }
      } catch {
        // aborted by the test
      }
      ended = true;
    })();
  }
  const lines = () =>
    events.filter((e) => e.name === 'lines').flatMap((e) => (e.data as LogsTailLines).streams.flatMap((s) => s.values.map((v) => v[1])));
  return { res, events, lines, ended: () => ended, leave: () => abort.abort() };
}

const push = (streams: { labels: Record<string, string>; line: string }[]) => pushLines(env.loki, streams);

const now = () => String(Math.floor(Date.now() / 1000));

describe('GET /api/logs/tail', () => {
  it('shows each persona only their lines, live: another tenant’s line pushed meanwhile is absent, their own present', async () => {
    const run = randomUUID().slice(0, 8);
    const container = `tail-${run}`;
    const params = { query: `{container="${container}"}`, start: now() };
    const people = { ADMIN, A_ADMIN, A_DEV, B_VIEWER };
    const tails = Object.fromEntries(
      await Promise.all(
        Object.entries(people).map(async ([k, who]) => [k, await tail(bff, await forgeSessionCookie(who), params)] as const),
      ),
    );
    for (const [k, t] of Object.entries(tails)) {
      expect(t.res.status, k).toBe(200);
      expect(t.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await waitFor(() => t.events.some((e) => e.name === 'ready'), `${k} ready`);
    }
    const line = (name: string) => `${name} ${run}`;
    // The foreign lines first: had they passed, they would arrive before the persona's own.
    await push([
      { labels: { cluster: 'prod-eu-west', namespace: 'client-b-apps', container, tenant: 'client-b' }, line: line('B-PROD') },
      { labels: { cluster: 'client-a-staging', namespace: 'platform-system', container, tenant: 'client-a' }, line: line('A-PLATFORM') },
      { labels: { cluster: 'prod-us-east', namespace: 'client-a-apps', container, tenant: 'client-a' }, line: line('A-PROD') },
      { labels: { cluster: 'client-a-staging', namespace: 'client-a-apps', container, tenant: 'client-a' }, line: line('A-STG') },
    ]);
    const expected: Record<string, string[]> = {
      ADMIN: ['B-PROD', 'A-PLATFORM', 'A-PROD', 'A-STG'],
      A_ADMIN: ['A-PLATFORM', 'A-PROD', 'A-STG'],
      A_DEV: ['A-STG'],
      B_VIEWER: ['B-PROD'],
    };
    for (const [k, names] of Object.entries(expected)) {
      const t = tails[k]!;
      await waitFor(() => names.every((n) => t.lines().includes(line(n))), `${k}'s lines`);
    }
    // The Platform Admin received every line, so every line was deliverable; give stragglers a moment.
    await new Promise((r) => setTimeout(r, 300));
    for (const [k, names] of Object.entries(expected)) {
      expect(tails[k]!.lines().sort(), k).toEqual(names.map(line).sort());
      expect(
        tails[k]!.events.some((e) => e.name === 'error'),
        k,
      ).toBe(false);
    }
    for (const t of Object.values(tails)) t.leave();
  });

  it("sends Loki the enforced query and the BFF's X-Scope-OrgID, never the client's", async () => {
    const container = `org-${randomUUID().slice(0, 8)}`;
    const params = { query: `{container="${container}"}`, start: now() };
    const before = upstreams.length;
    const plain = await tail(bff, await forgeSessionCookie(A_ADMIN), params, { 'X-Scope-OrgID': 'client-b|client-c' });
    expect(plain.res.status).toBe(200);
    await waitFor(() => plain.events.some((e) => e.name === 'ready'), 'ready');
    const multi = await tail(bffOrgs, await forgeSessionCookie(A_ADMIN), params, { 'X-Scope-OrgID': 'org-b' });
    expect(multi.res.status).toBe(200);
    await waitFor(() => multi.events.some((e) => e.name === 'ready'), 'ready');
    const mine = upstreams.slice(before).filter((u) => u.path === '/loki/api/v1/tail');
    expect(mine.map((u) => u.org)).toEqual([undefined, 'org-a']);
    for (const u of mine) {
      expect(u.query).toContain(`container="${container}"`);
      expect(u.query).toMatch(/cluster=~"/);
      expect(u.query).not.toMatch(/prod-eu-west|client-b/);
    }
    plain.leave();
    multi.leave();
  });

  it('closes the upstream tails when the browser disconnects', async () => {
    const container = `leave-${randomUUID().slice(0, 8)}`;
    // A Developer's scope may be several groups: one upstream tail each, all closed.
    const t = await tail(bff, await forgeSessionCookie(A_DEV), { query: `{container="${container}"}`, start: now() });
    expect(t.res.status).toBe(200);
    await waitFor(() => t.events.some((e) => e.name === 'ready'), 'ready');
    const mine = () => upstreams.filter((u) => u.query.includes(container));
    expect(mine().length).toBeGreaterThan(0);
    expect(mine().every((u) => u.open)).toBe(true);
    t.leave();
    await waitFor(() => mine().every((u) => !u.open), 'the upstream sockets to close');
  });

  it(`refuses a session's tail beyond ${LOGS_TAIL_LIMITS.maxPerSession} with 429 problem JSON, and takes one again after one ends`, async () => {
    const cookie = await forgeSessionCookie(A_ADMIN);
    const params = { query: `{container="cap-${randomUUID().slice(0, 8)}"}`, start: now() };
    const open = [];
    for (let i = 0; i < LOGS_TAIL_LIMITS.maxPerSession; i++) {
      const t = await tail(bff, cookie, params);
      expect(t.res.status).toBe(200);
      open.push(t);
    }
    const refused = await tail(bff, cookie, params);
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Problem.parse(await refused.res.json()).detail).toMatch(/live tails open/);
    // Another session of the same person is not affected.
    const other = await tail(bff, await forgeSessionCookie(A_ADMIN), params);
    expect(other.res.status).toBe(200);
    other.leave();

    open.pop()!.leave();
    let again: Awaited<ReturnType<typeof tail>> | undefined;
    const until = Date.now() + 5000;
    // The server notices the disconnect asynchronously.
    while (Date.now() < until) {
      again = await tail(bff, cookie, params);
      if (again.res.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(again!.res.status).toBe(200);
    again!.leave();
    for (const t of open) t.leave();
  });

  it('refuses a metric query, bad LogQL and an old start with 400 problem JSON, opening nothing upstream', async () => {
    const cookie = await forgeSessionCookie(A_ADMIN);
    const before = upstreams.length;
    for (const params of [
      { query: 'count_over_time({container="web"}[5m])' },
      { query: 'sum by (cluster) (rate({container="web"}[1m]))' },
      { query: '{container="web"} |= ' },
      { query: '{container="web"}', start: String(Math.floor(Date.now() / 1000) - 2 * 3600) },
      { query: '{container="web"}', limit: '100000' },
      { query: '{container="web"}', delay_for: '6' },
    ] as Record<string, string>[]) {
      const t = await tail(bff, cookie, params);
      expect(t.res.status, JSON.stringify(params)).toBe(400);
      expect(t.res.headers.get('content-type')).toMatch(/problem\+json/);
      Problem.parse(await t.res.json());
    }
    const metric = await tail(bff, cookie, { query: 'count_over_time({container="web"}[5m])' });
    expect(Problem.parse(await metric.res.json()).detail).toMatch(/metric queries cannot be tailed/);
    expect(upstreams.length).toBe(before);
  });

  it('answers 502 problem JSON (not a stream), without addresses, when Loki is unreachable', async () => {
    const t = await tail(bffDown, await forgeSessionCookie(A_ADMIN), { query: '{container="web"}' });
    expect(t.res.status).toBe(502);
    expect(t.res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = await t.res.text();
    expect(Problem.parse(JSON.parse(body)).detail).toBe('Loki is unreachable');
    expect(body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
    // The slot was given back: the session can try again as often as its limit allows.
    const cookie = await forgeSessionCookie(A_ADMIN);
    for (let i = 0; i <= LOGS_TAIL_LIMITS.maxPerSession; i++)
      expect((await tail(bffDown, cookie, { query: '{container="web"}' })).res.status).toBe(502);
  });

  it('backfills from start, limited to the scope', async () => {
    const t = await tail(bff, await forgeSessionCookie(A_DEV), {
      query: '{container=~".+"}',
      start: String(Math.floor(Date.now() / 1000) - 10 * 60),
      limit: '50',
    });
    expect(t.res.status).toBe(200);
    await waitFor(() => t.lines().length > 0, 'backfill');
    const streams = t.events.filter((e) => e.name === 'lines').flatMap((e) => (e.data as LogsTailLines).streams);
    expect(new Set(streams.map((s) => `${s.stream.cluster}/${s.stream.namespace}`))).toEqual(new Set(['client-a-staging/client-a-apps']));
    t.leave();
  });
});
