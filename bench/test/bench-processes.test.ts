import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { startBareProxy } from '../lib/bare-proxy.ts';
import { stateOf, whilePaused } from '../lib/paused.ts';

/** Resolves with `pid`'s state once it is `want`, or its last state after 2 s. */
async function settlesTo(pid: number, want: string): Promise<string> {
  for (let waited = 0; stateOf(pid) !== want && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  return stateOf(pid);
}

const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of servers.splice(0)) s.close();
});

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('whilePaused', () => {
  it('stops the processes while the work runs and continues them after, also when it throws', async () => {
    const [a, b] = [sleeper(), sleeper()];
    const seen = await whilePaused([a.pid!, b.pid!], () => Promise.resolve([stateOf(a.pid!), stateOf(b.pid!)]));
    expect(seen).toEqual(['T', 'T']);
    expect([await settlesTo(a.pid!, 'S'), await settlesTo(b.pid!, 'S')]).toEqual(['S', 'S']);
    await expect(
      whilePaused([a.pid!], () => {
        expect(stateOf(a.pid!)).toBe('T');
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(await settlesTo(a.pid!, 'S')).toBe('S');
  });
});

describe('startBareProxy', () => {
  it('passes a request and its answer through unchanged', async () => {
    const upstream = createServer((req, res) => {
      res.writeHead(207, { 'content-type': 'application/json', 'x-seen-path': req.url ?? '' });
      res.end(JSON.stringify({ path: req.url, big: 'x'.repeat(300_000) }));
    });
    servers.push(upstream);
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const proxy = await startBareProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    children.push(proxy.child);
    const res = await fetch(`${proxy.url}/loki/api/v1/query_range?query=%7Bapp%3D%22x%22%7D`);
    expect(res.status).toBe(207);
    expect(res.headers.get('x-seen-path')).toBe('/loki/api/v1/query_range?query=%7Bapp%3D%22x%22%7D');
    const body = (await res.json()) as { path: string; big: string };
    expect(body.path).toBe('/loki/api/v1/query_range?query=%7Bapp%3D%22x%22%7D');
    expect(body.big).toHaveLength(300_000);
  });
});
