import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { PromotionEvent } from '@fleetdeck/shared';

import { Config, type ConfigInput } from '../../src/config/schema.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { Leadership, Notifier, PromotionNotice } from '../../src/promotion/contracts.ts';
import { BoundedKeySet, Ring } from '../../src/promotion/notify/bounded.ts';
import { createNotifier } from '../../src/promotion/notify/create-notifier.ts';
import { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { makeRollout } from '../helpers/rollout-fixtures.ts';

/** A loopback receiver: per path, a script of statuses (the last repeats); records every request. */
let server: Server;
let base: string;
const received: { path: string; body: string; headers: IncomingHttpHeaders }[] = [];
const scripts = new Map<string, number[]>();
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const n = received.filter((r) => r.path === path).length;
      received.push({ path, body, headers: req.headers });
      const script = scripts.get(path) ?? [200];
      res.statusCode = script[Math.min(n, script.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const inventory = new DemoInventory();
await inventory.start();
let leader = true;
const leadership: Leadership = {
  identity: 'test',
  isLeader: () => leader,
  onChange: () => () => undefined,
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

let logs: { level: string; msg: string; [k: string]: unknown }[] = [];
let running: Notifier | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  received.length = 0;
  scripts.clear();
  logs = [];
  leader = true;
});

type Hooks = NonNullable<NonNullable<NonNullable<ConfigInput['promotion']>['notifications']>['webhooks']>;
async function start(webhooks: Hooks, opts: { mode?: 'demo' | 'real'; attempts?: number; env?: Record<string, string> } = {}) {
  const config = Config.parse({
    mode: opts.mode ?? 'real',
    promotion: { notifications: { webhooks, attempts: opts.attempts ?? 3, backoffSeconds: 0.01, timeoutSeconds: 2 } },
  });
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
  running = createNotifier({ config, logger, inventory, leadership, publicUrl: 'https://fleet.example.com', env: opts.env ?? {} });
  await running.start();
  return running;
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 150));
const at = (path: string) => received.filter((r) => r.path === path);

const nsA = makeRollout({
  name: 'shop',
  namespace: 'fleet-client-a',
  waves: [{ name: 'prod', clusters: ['prod-us-east'], waiting: true }],
});
const waiting = (key = 'k1'): PromotionNotice => ({ kind: 'waveWaiting', dedupeKey: key, rollout: nsA, wave: 'prod', text: 'shop waits' });

describe('notifier', () => {
  it('delivers a notice once per webhook, however often it is published', async () => {
    const n = await start([{ name: 'a', url: `${base}/a`, tenant: 'client-a' }]);
    n.publish(waiting());
    n.publish(waiting());
    await until('one delivery', () => at('/a').length === 1);
    n.publish(waiting());
    await settle();
    expect(at('/a')).toHaveLength(1);
    const event = PromotionEvent.parse(JSON.parse(at('/a')[0]!.body));
    expect(event).toMatchObject({ kind: 'waveWaiting', rollout: 'shop', tenant: 'client-a', wave: 'prod', clusters: ['prod-us-east'] });
    expect(event.link).toBe('https://fleet.example.com/rollouts/kubefleet-namespaced~fleet-client-a~shop?readiness=prod');
    n.publish(waiting('k2'));
    await until('a second notice', () => at('/a').length === 2);
  });

  it('a retry carries the same event id, and the receiver gets it once delivered', async () => {
    scripts.set('/flaky', [500, 200]);
    const n = await start([{ name: 'flaky', url: `${base}/flaky` }]);
    n.publish(waiting());
    await until('two attempts', () => at('/flaky').length === 2);
    await settle();
    const [first, second] = at('/flaky');
    expect(at('/flaky')).toHaveLength(2);
    expect(first!.body).toBe(second!.body);
    expect(first!.headers['x-fleetdeck-event-id']).toBe(PromotionEvent.parse(JSON.parse(second!.body)).id);
    expect(n.deadLetters()).toEqual([]);
    expect(logs.some((l) => l.msg === 'notification retry' && l.attempt === 1)).toBe(true);
  });

  it('after the last attempt: a dead letter and an error log line naming the webhook, never its URL', async () => {
    scripts.set('/broken', [500]);
    const n = await start([{ name: 'broken', url: `${base}/broken` }], { attempts: 2 });
    n.publish(waiting());
    await until('the dead letter', () => n.deadLetters().length === 1);
    expect(at('/broken')).toHaveLength(2);
    const [dead] = n.deadLetters();
    expect(dead).toMatchObject({ webhook: 'broken', error: 'answered 500', event: { kind: 'waveWaiting', rollout: 'shop' } });
    const line = logs.find((l) => l.msg === 'notification not delivered')!;
    expect(line).toMatchObject({ level: 'error', webhook: 'broken', attempts: 2, error: 'answered 500', eventId: dead!.event.id });
    expect(JSON.stringify(logs)).not.toContain(base);
  });

  it('a 4xx is not retried: straight to the dead letters', async () => {
    scripts.set('/nope', [400]);
    const n = await start([{ name: 'nope', url: `${base}/nope` }], { attempts: 5 });
    n.publish(waiting());
    await until('the dead letter', () => n.deadLetters().length === 1);
    await settle();
    expect(at('/nope')).toHaveLength(1);
  });

  it('only the leader sends; a notice dropped on a follower is sent when published on the leader', async () => {
    const n = await start([{ name: 'a', url: `${base}/a` }]);
    leader = false;
    n.publish(waiting());
    await settle();
    expect(received).toEqual([]);
    leader = true;
    n.publish(waiting());
    await until('the leader’s delivery', () => at('/a').length === 1);
  });

  it('routes by tenant and by event kind; a tenant webhook never hears another tenant’s run', async () => {
    const n = await start([
      { name: 'a', url: `${base}/a`, tenant: 'client-a' },
      { name: 'b', url: `${base}/b`, tenant: 'client-b' },
      { name: 'all', url: `${base}/all` },
      { name: 'done-only', url: `${base}/done`, events: ['rolloutCompleted'] },
    ]);
    n.publish(waiting());
    await until('a and all', () => at('/a').length === 1 && at('/all').length === 1);
    await settle();
    expect(at('/b')).toEqual([]);
    expect(at('/done')).toEqual([]);
    expect(PromotionEvent.parse(JSON.parse(at('/a')[0]!.body)).id).not.toBe(PromotionEvent.parse(JSON.parse(at('/all')[0]!.body)).id);
  });

  it('sends Slack-compatible bodies and the bearer token from the named variable', async () => {
    const n = await start([{ name: 's', url: `${base}/s`, format: 'slack', tokenEnv: 'HOOK_TOKEN' }], { env: { HOOK_TOKEN: 's3cret' } });
    n.publish(waiting());
    await until('the delivery', () => at('/s').length === 1);
    const [hit] = at('/s');
    expect(hit!.headers.authorization).toBe('Bearer s3cret');
    const body = JSON.parse(hit!.body) as { text: string; blocks: { type: string }[] };
    expect(body.text).toContain(
      '<https://fleet.example.com/rollouts/kubefleet-namespaced~fleet-client-a~shop?readiness=prod|Open in Fleetdeck>',
    );
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context', 'actions']);
  });

  it('a webhook whose token variable is unset is disabled, loudly', async () => {
    const n = await start([{ name: 's', url: `${base}/s`, tokenEnv: 'MISSING_TOKEN' }]);
    n.publish(waiting());
    await settle();
    expect(received).toEqual([]);
    expect(logs.find((l) => l.msg === 'webhook disabled: its token variable is not set')).toMatchObject({ level: 'error', webhook: 's' });
  });

  it('demo mode never reaches a configured webhook, and says so at start', async () => {
    const n = await start([{ name: 'a', url: `${base}/a` }], { mode: 'demo' });
    n.publish(waiting());
    await settle();
    expect(received).toEqual([]);
    expect(logs.find((l) => l.msg.startsWith('demo mode: notification webhooks are ignored'))).toMatchObject({
      level: 'warn',
      webhooks: ['a'],
    });
  });
});

describe('bounded memory', () => {
  it('the dedupe set forgets the oldest keys beyond its size', () => {
    const s = new BoundedKeySet(3);
    expect(['a', 'b', 'c', 'a'].map((k) => s.add(k))).toEqual([true, true, true, false]);
    expect(s.add('d')).toBe(true);
    expect(s.size).toBe(3);
    expect(s.has('a')).toBe(false);
    expect(s.has('d')).toBe(true);
  });

  it('the dead-letter ring keeps the newest, newest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.newestFirst()).toEqual([5, 4, 3]);
  });
});
