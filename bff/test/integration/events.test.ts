import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EventHub } from '../../src/events/event-hub.ts';
import type { RunningServer } from '../../src/server.ts';
import { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { Browser, startDemoBff } from '../helpers/demo-client.ts';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads an SSE response frame by frame. */
async function* frames(res: Response): AsyncGenerator<Frame> {
  const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        const m = /^(id|event|data): ?(.*)$/.exec(line);
        if (m) frame[m[1] as keyof Frame] = m[2];
      }
      if (frame.event) yield frame;
    }
  }
}

async function next(it: AsyncGenerator<Frame>, event: string, timeoutMs = 3000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await Promise.race([
      it.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), deadline - Date.now())),
    ]);
    if (r === 'timeout' || r.done) break;
    if (r.value.event === event) return r.value;
  }
  throw new Error(`no "${event}" event within ${timeoutMs} ms`);
}

let bff: RunningServer;
let inventory: DemoInventory;
let hub: EventHub;
beforeAll(async () => {
  inventory = new DemoInventory();
  hub = new EventHub({ maxBufferedBytes: 16 * 1024, heartbeatMs: 200 });
  bff = await startDemoBff({}, { inventory, events: hub });
});
afterAll(async () => {
  await bff?.close();
});

async function stream(user: string, lastEventId?: string) {
  const browser = new Browser(bff.url);
  await browser.signIn(user);
  const controller = new AbortController();
  const res = await browser.fetch('/api/events', {
    signal: controller.signal,
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return { it: frames(res), close: () => controller.abort() };
}

describe('GET /api/events', () => {
  it('streams changes of visible clusters only, with ids', async () => {
    const a = await stream('client-a-admin@demo');
    const ready = await next(a.it, 'ready');
    expect(ready.id).toMatch(/^[A-Za-z0-9_-]{48}$/);
    inventory.update('prod-eu-west', { state: 'NotReady' }); // client-b: not for client-a's admin
    inventory.update('prod-us-east', { state: 'NotReady' });
    const frame = await next(a.it, 'cluster');
    expect(JSON.parse(frame.data!)).toMatchObject({ type: 'MODIFIED', cluster: { name: 'prod-us-east', state: 'NotReady' } });
    a.close();
  });

  it('tells a person about clusters moving into and out of their scope, and nothing else', async () => {
    const a = await stream('client-a-admin@demo');
    await next(a.it, 'ready');
    inventory.update('client-b-dev', { tenant: 'client-a', labels: { client: 'client-a', env: 'dev' } });
    expect(JSON.parse((await next(a.it, 'cluster')).data!)).toMatchObject({
      type: 'ADDED',
      cluster: { name: 'client-b-dev', tenant: 'client-a' },
    });
    inventory.update('client-b-dev', { tenant: 'client-b', labels: { client: 'client-b', env: 'dev' } });
    expect(JSON.parse((await next(a.it, 'cluster')).data!)).toEqual({ type: 'DELETED', name: 'client-b-dev' });
    a.close();
  });

  it('resumes from Last-Event-ID, and asks a client it cannot resume to resync', async () => {
    const first = await stream('platform-admin@demo');
    const ready = await next(first.it, 'ready');
    first.close();
    inventory.update('prod-asia', { state: 'NotReady' });
    inventory.update('prod-asia', { state: 'Ready' });
    const resumed = await stream('platform-admin@demo', ready.id);
    const missed = [JSON.parse((await next(resumed.it, 'cluster')).data!), JSON.parse((await next(resumed.it, 'cluster')).data!)];
    expect(missed.map((m: { cluster: { state: string } }) => m.cluster.state)).toEqual(['NotReady', 'Ready']);
    resumed.close();
    const stale = await stream('platform-admin@demo', 'deadbeef-1');
    await next(stale.it, 'resync');
    stale.close();
  });

  it('gives ids that reveal nothing: the same position twice gives two unrelated ids, and both resume', async () => {
    const a = await stream('client-a-admin@demo');
    const first = (await next(a.it, 'ready')).id!;
    a.close();
    // Another tenant is busy: on main the id was a fleet-wide counter a Tenant Admin could read off.
    for (let i = 0; i < 25; i++) inventory.update('prod-eu-west', { annotations: { tick: String(i) } });
    const b = await stream('client-a-admin@demo');
    const second = (await next(b.it, 'ready')).id!;
    b.close();
    const c = await stream('client-a-admin@demo');
    const third = (await next(c.it, 'ready')).id!;
    c.close();
    // No event anywhere between the second and third: same position, still different ids (random nonce).
    expect(third).not.toBe(second);
    for (const id of [first, second, third]) expect(id).toMatch(/^[A-Za-z0-9_-]{48}$/);
    // Resuming from the first id replays nothing for client-a (25 client-b events), and asks for no resync.
    const resumed = await stream('client-a-admin@demo', first);
    inventory.update('prod-us-east', { annotations: { marker: 'after-resume' } });
    const frame = await next(resumed.it, 'cluster');
    expect(JSON.parse(frame.data!)).toMatchObject({ cluster: { name: 'prod-us-east', annotations: { marker: 'after-resume' } } });
    resumed.close();
    // A forged id does not open: resync.
    const forged = await stream('client-a-admin@demo', first.slice(0, -2) + (first.endsWith('AA') ? 'BB' : 'AA'));
    await next(forged.it, 'resync');
    forged.close();
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('platform-admin@demo');
    const { port } = new URL(bff.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${browser.cookie}\r\n\r\n`);
    socket.pause(); // never read
    await new Promise((r) => setTimeout(r, 200));
    const before = hub.clientCount;
    expect(before).toBeGreaterThanOrEqual(1);
    const big = 'x'.repeat(2048);
    for (let i = 0; i < 3000 && hub.clientCount >= before; i++) {
      inventory.update('prod-us-west', { annotations: { note: `${big}${i}` } });
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(hub.clientCount).toBeLessThan(before);
    socket.destroy();
  });
});
