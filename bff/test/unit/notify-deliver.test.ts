import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backoffDelayMs, classifyStatus, deliver, MAX_BACKOFF_MS, retrySchedule } from '../../src/promotion/notify/deliver.ts';

/** A loopback receiver answering each path with a script of statuses (last one repeats). */
let server: Server;
let base: string;
const hits = new Map<string, { at: number; body: string; headers: IncomingMessage['headers'] }[]>();
const scripts: Record<string, number[]> = {
  '/ok': [204],
  '/flaky': [500, 503, 200],
  '/gone': [404],
  '/busy': [429, 200],
  '/down': [502],
  '/moved': [302],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const list = hits.get(path) ?? [];
      list.push({ at: Date.now(), body, headers: req.headers });
      hits.set(path, list);
      if (path === '/slow') return void setTimeout(() => res.end('late'), 2000);
      const script = scripts[path] ?? [200];
      const status = script[Math.min(list.length - 1, script.length - 1)]!;
      if (status === 302) res.setHeader('location', 'http://203.0.113.1/elsewhere');
      res.statusCode = status;
      res.end('x');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const policy = { attempts: 4, backoffMs: 20, timeoutMs: 1000 };
const req = (path: string) => ({
  url: base + path,
  headers: { 'content-type': 'application/json', 'x-fleetdeck-event-id': 'e1' },
  body: '{"a":1}',
});
const never = new AbortController().signal;

describe('retry schedule', () => {
  it('doubles from backoffSeconds, one wait fewer than attempts, capped', () => {
    expect(retrySchedule({ attempts: 5, backoffMs: 2000 })).toEqual([2000, 4000, 8000, 16000]);
    expect(retrySchedule({ attempts: 1, backoffMs: 2000 })).toEqual([]);
    expect(backoffDelayMs(20, 600_000)).toBe(MAX_BACKOFF_MS);
  });

  it('classifies answers: 2xx delivered; 408, 429, 5xx retried; other 4xx and 3xx final', () => {
    expect(classifyStatus(200)).toEqual({ ok: true });
    expect(classifyStatus(204)).toEqual({ ok: true });
    for (const s of [408, 429, 500, 502, 503]) expect(classifyStatus(s)).toMatchObject({ ok: false, retry: true });
    for (const s of [400, 401, 403, 404, 410, 301, 302, 307]) expect(classifyStatus(s)).toMatchObject({ ok: false, retry: false });
  });
});

describe('deliver (loopback receiver)', () => {
  it('delivers on the first 2xx, with the body and headers as given', async () => {
    expect(await deliver(req('/ok'), policy, never)).toEqual({ delivered: true, attempts: 1 });
    const [hit] = hits.get('/ok')!;
    expect(hit!.body).toBe('{"a":1}');
    expect(hit!.headers['x-fleetdeck-event-id']).toBe('e1');
  });

  it('retries 5xx with growing waits until it is delivered', async () => {
    expect(await deliver(req('/flaky'), policy, never)).toEqual({ delivered: true, attempts: 3 });
    const at = hits.get('/flaky')!.map((h) => h.at);
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(18);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(38);
    expect(await deliver(req('/busy'), policy, never)).toEqual({ delivered: true, attempts: 2 });
  });

  it('gives up after the last attempt, saying why (never the URL)', async () => {
    const result = await deliver(req('/down'), policy, never);
    expect(result).toEqual({ delivered: false, attempts: 4, error: 'answered 502' });
    expect(hits.get('/down')).toHaveLength(4);
  });

  it('does not repeat a 4xx, and never follows a redirect', async () => {
    expect(await deliver(req('/gone'), policy, never)).toEqual({ delivered: false, attempts: 1, error: 'answered 404' });
    expect(await deliver(req('/moved'), policy, never)).toEqual({
      delivered: false,
      attempts: 1,
      error: 'answered 302 (redirects are not followed)',
    });
    expect(hits.get('/gone')).toHaveLength(1);
    expect(hits.get('/moved')).toHaveLength(1);
  });

  it('times out a receiver that does not answer, and retries it', async () => {
    const result = await deliver(req('/slow'), { attempts: 2, backoffMs: 10, timeoutMs: 150 }, never);
    expect(result).toEqual({ delivered: false, attempts: 2, error: 'timed out after 150 ms' });
  });

  it('network errors are retried and reported by code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await deliver({ ...req('/'), url: `http://127.0.0.1:${port}/` }, { attempts: 2, backoffMs: 10, timeoutMs: 500 }, never);
    expect(result).toEqual({ delivered: false, attempts: 2, error: 'network error ECONNREFUSED' });
  });

  it('stops waiting when aborted', async () => {
    const stop = new AbortController();
    const pending = deliver(req('/down'), { attempts: 5, backoffMs: 10_000, timeoutMs: 1000 }, stop.signal);
    setTimeout(() => stop.abort(), 100);
    await expect(pending).rejects.toThrow();
  });
});
