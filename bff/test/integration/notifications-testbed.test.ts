import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import { Inbox, PromotionEvent } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { Person } from '../helpers/rollout-client.ts';
import { PERSONAS } from '../helpers/rollout-fixtures.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * Notifications and the inbox in real mode on the testbed hub, the KubeFleet stand-in moving
 * the runs: staged update runs created after the BFF started reach an approval gate; loopback
 * receivers configured as per-tenant webhooks get exactly what their tenant may hear, once,
 * retried when they fail first; each Tenant Admin's inbox lists their own tenant's gate only.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const SUFFIX = Date.now().toString(36);
const PUBLIC_URL = 'https://fleetdeck.example.test';

/** One namespaced run per tenant: its staging stage, then an after-stage Approval. */
const RUNS = {
  a: { tenant: 'client-a', ns: 'fleet-client-a', run: `notify-a-${SUFFIX}` },
  b: { tenant: 'client-b', ns: 'fleet-client-b', run: `notify-b-${SUFFIX}` },
} as const;
const idOf = (r: (typeof RUNS)[keyof typeof RUNS]) => `kubefleet-namespaced~${r.ns}~${r.run}`;

/** The receivers: `/a` and `/b` answer 200; `/flaky` answers 500 to the first request of each event id, then 200. */
interface Hit {
  path: string;
  body: string;
  headers: IncomingHttpHeaders;
  status: number;
}
const hits: Hit[] = [];
let receiver: Server;
let base: string;
let bff: RunningServer;
const people = {} as Record<'clientAAdmin' | 'clientBAdmin', Person>;

async function createRun(r: (typeof RUNS)[keyof typeof RUNS]): Promise<void> {
  const strategy = `${r.run}-waves`;
  await admin.expectOk('POST', `${P}/namespaces/${r.ns}/stagedupdatestrategies`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateStrategy',
      metadata: { name: strategy, namespace: r.ns },
      spec: {
        stages: [
          {
            name: 'staging',
            labelSelector: { matchLabels: { client: r.tenant, env: 'staging' } },
            afterStageTasks: [{ type: 'Approval' }],
          },
        ],
      },
    },
  });
  await admin.expectOk('POST', `${P}/namespaces/${r.ns}/stagedupdateruns`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateRun',
      metadata: { name: r.run, namespace: r.ns },
      spec: { placementName: `${r.run}-app`, resourceSnapshotIndex: '1', stagedRolloutStrategyName: strategy, state: 'Run' },
    },
  });
}

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 250 });

/** The generic JSON events a path received for one rollout. */
const jsonEvents = (path: string, rolloutId: string) =>
  hits
    .filter((h) => h.path === path)
    .map((h) => ({ hit: h, event: PromotionEvent.parse(JSON.parse(h.body)) }))
    .filter((e) => e.event.rolloutId === rolloutId);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const id = req.headers['x-fleetdeck-event-id'];
      const seen = hits.some((h) => h.path === path && h.headers['x-fleetdeck-event-id'] === id);
      const status = path === '/flaky' && !seen ? 500 : 200;
      hits.push({ path, body, headers: req.headers, status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  bff = await startTestbedBff(env, {
    promotion: {
      notifications: {
        publicUrl: PUBLIC_URL,
        attempts: 3,
        backoffSeconds: 0.3,
        timeoutSeconds: 5,
        webhooks: [
          { name: 'client-a-json', url: `${base}/a`, tenant: 'client-a' },
          { name: 'client-a-flaky', url: `${base}/flaky`, tenant: 'client-a', events: ['waveWaiting'] },
          { name: 'client-b-slack', url: `${base}/b`, tenant: 'client-b', format: 'slack' },
        ],
      },
    },
  });
  const origin = new URL(bff.services.config.auth.oidc!.redirectUrl).origin;
  people.clientAAdmin = await Person.signIn(bff.url, PERSONAS.clientAAdmin, { origin });
  people.clientBAdmin = await Person.signIn(bff.url, PERSONAS.clientBAdmin, { origin });
  // Only the leader sends: the runs must reach their gates while this replica leads.
  await eventually('leadership', () => (bff.services.leadership.isLeader() ? true : undefined), 30_000);
  await createRun(RUNS.a);
  await createRun(RUNS.b);
}, 120_000);

afterAll(async () => {
  await bff?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  for (const r of Object.values(RUNS)) {
    await admin.request('DELETE', `${P}/namespaces/${r.ns}/stagedupdateruns/${r.run}`);
    await admin.request('DELETE', `${P}/namespaces/${r.ns}/stagedupdatestrategies/${r.run}-waves`);
  }
});

describe('promotion notifications on the testbed', () => {
  it('client-a’s webhook gets exactly one waveWaiting for its run, with the deep link and its clusters only', async () => {
    const [first] = await eventually('the waveWaiting notification', () => {
      const got = jsonEvents('/a', idOf(RUNS.a)).filter((e) => e.event.kind === 'waveWaiting');
      return got.length > 0 ? got : undefined;
    });
    // Later watch events on the same gate (status rewrites) must not notify again.
    await new Promise((r) => setTimeout(r, 3000));
    const all = jsonEvents('/a', idOf(RUNS.a)).filter((e) => e.event.kind === 'waveWaiting');
    expect(all).toHaveLength(1);
    const { event, hit } = first!;
    expect(event).toMatchObject({ kind: 'waveWaiting', rollout: RUNS.a.run, tenant: 'client-a', wave: 'staging' });
    expect(event.link).toBe(`${PUBLIC_URL}/rollouts/${idOf(RUNS.a)}?readiness=staging`);
    expect(event.clusters.length).toBeGreaterThan(0);
    const clientA = new Set(
      bff.services.inventory
        .snapshot()
        .clusters.filter((c) => c.tenant === 'client-a')
        .map((c) => c.name),
    );
    for (const c of event.clusters) expect(clientA.has(c)).toBe(true);
    expect(hit.headers['x-fleetdeck-event-id']).toBe(event.id);
    expect(hit.headers['content-type']).toBe('application/json');
  });

  it('a receiver that fails first gets the same event again, and it is delivered once', async () => {
    const tries = await eventually('the retry', () => {
      const got = jsonEvents('/flaky', idOf(RUNS.a));
      return got.length >= 2 ? got : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const all = jsonEvents('/flaky', idOf(RUNS.a));
    expect(all.map((e) => e.hit.status)).toEqual([500, 200]);
    expect(all[1]!.event).toEqual(all[0]!.event);
    expect(tries[0]!.hit.headers['x-fleetdeck-event-id']).toBe(tries[1]!.hit.headers['x-fleetdeck-event-id']);
    // The same occurrence, to another webhook: another id (receivers dedupe per webhook).
    expect(all[0]!.event.id).not.toBe(jsonEvents('/a', idOf(RUNS.a))[0]!.event.id);
    expect(bff.services.notifier.deadLetters().filter((d) => d.event.rolloutId === idOf(RUNS.a))).toEqual([]);
  });

  it('client-b’s Slack webhook hears client-b’s gate and nothing of client-a’s', async () => {
    const bHits = await eventually('client-b’s notification', () => {
      const got = hits.filter((h) => h.path === '/b' && h.body.includes(RUNS.b.run));
      return got.length > 0 ? got : undefined;
    });
    const slack = JSON.parse(bHits[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(slack.text).toContain(`<${PUBLIC_URL}/rollouts/${idOf(RUNS.b)}?readiness=staging|Open in Fleetdeck>`);
    expect(slack.blocks.map((b) => b.type)).toEqual(['section', 'context', 'actions']);
    // By now client-a's run has been announced to client-a's webhooks (tests above): none of it reached client-b.
    expect(jsonEvents('/a', idOf(RUNS.a)).length).toBeGreaterThan(0);
    const clientANames = bff.services.inventory
      .snapshot()
      .clusters.filter((c) => c.tenant === 'client-a')
      .map((c) => c.name);
    for (const h of hits.filter((x) => x.path === '/b')) {
      expect(h.body).not.toContain(RUNS.a.run);
      expect(h.body).not.toContain('client-a');
      for (const name of clientANames) expect(h.body).not.toContain(name);
    }
    // And client-a's webhooks never heard of client-b's run.
    for (const h of hits.filter((x) => x.path !== '/b')) expect(h.body).not.toContain(RUNS.b.run);
  });

  it('each Tenant Admin’s inbox lists their own tenant’s gate and never the other’s', async () => {
    const aInbox = await eventually('client-a’s gate in the inbox', async () => {
      const inbox = Inbox.parse(await people.clientAAdmin.json('/api/inbox'));
      return inbox.items.some((i) => i.rolloutId === idOf(RUNS.a)) ? inbox : undefined;
    });
    expect(aInbox.items.find((i) => i.rolloutId === idOf(RUNS.a))).toMatchObject({
      rollout: RUNS.a.run,
      tenant: 'client-a',
      wave: 'staging',
      position: 'after',
      href: `/rollouts/${idOf(RUNS.a)}?readiness=staging`,
    });
    const bInbox = await eventually('client-b’s gate in the inbox', async () => {
      const inbox = Inbox.parse(await people.clientBAdmin.json('/api/inbox'));
      return inbox.items.some((i) => i.rolloutId === idOf(RUNS.b)) ? inbox : undefined;
    });
    expect(bInbox.items.some((i) => i.rolloutId === idOf(RUNS.a))).toBe(false);
    expect(aInbox.items.some((i) => i.rolloutId === idOf(RUNS.b))).toBe(false);
    for (const i of bInbox.items) expect(i.tenant).not.toBe('client-a');
    for (const i of aInbox.items) expect(i.tenant).not.toBe('client-b');
  });
});
