import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TooLarge } from '../../src/lib/read-capped.ts';
import { HttpGetter } from '../../src/sources/loki/http-get.ts';

let server: Server;
let base: string;
const seen: { url: string; org: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url!, org: req.headers['x-scope-orgid'] as string | undefined });
    if (req.url!.startsWith('/big')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(2000));
    if (req.url!.startsWith('/chunked')) {
      res.writeHead(200);
      for (let i = 0; i < 20; i++) res.write('y'.repeat(100));
      return void res.end();
    }
    if (req.url!.startsWith('/slow')) return void res.writeHead(200).write('partial'); // never ends
    if (req.url!.startsWith('/moved')) return void res.writeHead(302, { location: '/ok' }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('HttpGetter', () => {
  const getter = new HttpGetter();

  it('answers the status and bytes, with the headers it was given, over one kept-alive connection', async () => {
    const a = await getter.get(`${base}/ok?query=%7Bx%3D%22y%22%7D`, { 'X-Scope-OrgID': 'org-a' }, 1000, 1000);
    const b = await getter.get(`${base}/ok`, {}, 1000, 1000);
    expect([a.status, a.body.toString()]).toEqual([200, '{"status":"success"}']);
    expect(b.status).toBe(200);
    expect(seen.slice(-2)).toEqual([
      { url: '/ok?query=%7Bx%3D%22y%22%7D', org: 'org-a' },
      { url: '/ok', org: undefined },
    ]);
  });

  it('refuses more bytes than the cap, by Content-Length or while reading', async () => {
    await expect(getter.get(`${base}/big`, {}, 1000, 1999)).rejects.toBeInstanceOf(TooLarge);
    await expect(getter.get(`${base}/chunked`, {}, 1000, 1999)).rejects.toBeInstanceOf(TooLarge);
    expect((await getter.get(`${base}/chunked`, {}, 1000, 2000)).body.length).toBe(2000);
  });

  it('gives up after the timeout, body included, and follows no redirect', async () => {
    await expect(getter.get(`${base}/slow`, {}, 200, 1000)).rejects.toMatchObject({ name: 'TimeoutError' });
    const moved = await getter.get(`${base}/moved`, {}, 1000, 1000);
    expect(moved.status).toBe(302);
    expect(seen.at(-1)!.url).toBe('/moved');
  });

  it('fails on a connection refused', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(getter.get(`http://127.0.0.1:${port}/`, {}, 1000, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
