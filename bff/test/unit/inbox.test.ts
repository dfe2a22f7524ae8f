import { describe, expect, it } from 'vitest';

import { Inbox, type Principal, type RecordedApproval } from '@fleetdeck/shared';

import { AccessPolicy, DEFAULT_ACCESS_POLICY, type ApproverRule } from '../../src/access/policy.ts';
import { Config } from '../../src/config/schema.ts';
import { inboxItems } from '../../src/promotion/notify/inbox-items.ts';
import { inboxRoute } from '../../src/routes/inbox.ts';
import type { Services } from '../../src/routes/route.ts';
import { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { RolloutService } from '../../src/sources/rollouts/rollout-service.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { CTX, FakeRolloutSource, makeRollout, NOT_FOR_CLIENT_A, PERSONAS, viewerOf } from '../helpers/rollout-fixtures.ts';

/** The waiting gate's start time, as a source maps it from the stage's conditions. */
function since(r: SourceRollout, at: string): SourceRollout {
  return {
    ...r,
    waves: r.waves.map((w) => ({ ...w, gates: w.gates.map((g) => (g.state === 'Waiting' ? { ...g, waitingSince: at } : g)) })),
  };
}

const gateA = since(
  makeRollout({
    name: 'web-v3',
    waves: [
      { name: 'canary', clusters: ['client-a-staging'], state: 'Succeeded' },
      { name: 'prod', clusters: ['prod-us-east', 'prod-us-west'], waiting: true },
    ],
  }),
  '2026-11-24T10:30:00Z',
);
const nsA = since(
  makeRollout({ name: 'shop', namespace: 'fleet-client-a', waves: [{ name: 'staging', clusters: ['client-a-staging'], waiting: true }] }),
  '2026-11-24T09:00:00Z',
);
const noStartA = makeRollout({
  name: 'api',
  namespace: 'fleet-client-a',
  waves: [{ name: 'edge', clusters: ['edge-retail-001'], waiting: true }],
});
const cross = since(
  makeRollout({ name: 'cve-2024-critical', waves: [{ name: 'prod', clusters: ['prod-us-east', 'prod-eu-west'], waiting: true }] }),
  '2026-11-24T08:00:00Z',
);
const nsB = since(
  makeRollout({ name: 'b-shop', namespace: 'fleet-client-b', waves: [{ name: 'prod', clusters: ['prod-eu-west'], waiting: true }] }),
  '2026-11-24T07:00:00Z',
);
const notWaitingA = makeRollout({ name: 'idle', waves: [{ name: 'prod', clusters: ['prod-us-east'], state: 'Progressing' }] });
const ALL = [gateA, nsA, noStartA, cross, nsB, notWaitingA];

const itemsOf = (p: Pick<Principal, 'user' | 'groups'>, rollouts: readonly SourceRollout[] = ALL, rules: ApproverRule[] = []) =>
  inboxItems(viewerOf(p), p, rollouts, CTX, rules);
const approval = (user: string, groups: string[] = []): RecordedApproval => ({ user, at: '2026-11-24T11:00:00Z', groups });
const twoWithOnePlatform = AccessPolicy.parse({
  ...DEFAULT_ACCESS_POLICY,
  approvers: [{ stages: 'prod*', approvals: 2, groups: [{ group: 'fleet-platform-admins', approvals: 1 }] }],
}).approvers;

describe('inbox: gates waiting for this person', () => {
  it('a Tenant Admin gets their tenant’s gates only, oldest first, each linking to the rollout at its wave', () => {
    const items = itemsOf(PERSONAS.clientAAdmin);
    expect(items.map((i) => `${i.rollout}/${i.wave}`)).toEqual(['shop/staging', 'web-v3/prod', 'api/edge']);
    expect(items[0]).toEqual({
      rolloutId: 'kubefleet-namespaced~fleet-client-a~shop',
      rollout: 'shop',
      tenant: 'client-a',
      wave: 'staging',
      position: 'before',
      waitingSince: '2026-11-24T09:00:00Z',
      href: '/rollouts/kubefleet-namespaced~fleet-client-a~shop?readiness=staging',
    });
    const text = JSON.stringify(items);
    for (const name of NOT_FOR_CLIENT_A) expect(text).not.toContain(name);
  });

  it('another tenant’s gates change nothing in the answer, not even its length', () => {
    const withoutOthers = itemsOf(PERSONAS.clientAAdmin, [gateA, nsA, noStartA, notWaitingA]);
    expect(itemsOf(PERSONAS.clientAAdmin)).toEqual(withoutOthers);
    expect(itemsOf(PERSONAS.clientBAdmin).map((i) => i.rollout)).toEqual(['b-shop']);
  });

  it('a Platform Admin gets every gate, the cross-tenant one included; Developers and Viewers get none', () => {
    expect(itemsOf(PERSONAS.platformAdmin).map((i) => i.rollout)).toEqual(['b-shop', 'cve-2024-critical', 'shop', 'web-v3', 'api']);
    expect(itemsOf(PERSONAS.clientADev)).toEqual([]);
    expect(itemsOf(PERSONAS.clientBViewer)).toEqual([]);
    expect(itemsOf(PERSONAS.fleetViewer)).toEqual([]);
  });

  it('shows approval progress; someone already counted is not waited for', () => {
    const partly: SourceRollout = { ...gateA, recordedApprovals: { prod: [approval(PERSONAS.clientAAdmin.user)] } };
    expect(itemsOf(PERSONAS.clientAAdmin, [partly], twoWithOnePlatform)).toEqual([]);
    const [forPlatform] = itemsOf(PERSONAS.platformAdmin, [partly], twoWithOnePlatform);
    expect(forPlatform!.progress).toEqual({ given: 1, required: 2 });
    // Without approvals yet, a two-person gate says 0 of 2 to whoever can give one.
    expect(itemsOf(PERSONAS.clientAAdmin, [gateA], twoWithOnePlatform)[0]!.progress).toEqual({ given: 0, required: 2 });
    // A single-approval gate carries no progress.
    expect(itemsOf(PERSONAS.clientAAdmin, [gateA])[0]!.progress).toBeUndefined();
  });

  it('a gate whose remaining slot is reserved for a group the person is not in is not theirs', () => {
    const byOtherTenantAdmin: SourceRollout = { ...gateA, recordedApprovals: { prod: [approval('another-a-admin@demo')] } };
    expect(itemsOf(PERSONAS.clientAAdmin, [byOtherTenantAdmin], twoWithOnePlatform)).toEqual([]);
    expect(itemsOf(PERSONAS.platformAdmin, [byOtherTenantAdmin], twoWithOnePlatform)).toHaveLength(1);
    const byPlatform: SourceRollout = {
      ...gateA,
      recordedApprovals: { prod: [approval(PERSONAS.platformAdmin.user, ['fleet-platform-admins'])] },
    };
    expect(itemsOf(PERSONAS.clientAAdmin, [byPlatform], twoWithOnePlatform)[0]!.progress).toEqual({ given: 1, required: 2 });
    expect(itemsOf(PERSONAS.platformAdmin, [byPlatform], twoWithOnePlatform)).toEqual([]);
  });
});

describe('GET /api/inbox handler', () => {
  it('answers the caller’s items from the rollout service, the same on a repeat (cached per scope)', async () => {
    const inventory = new DemoInventory();
    await inventory.start();
    const rollouts = new RolloutService([new FakeRolloutSource(['kubefleet', 'kubefleet-namespaced'], ALL)]);
    await rollouts.start();
    // The handler reads only these services.
    const services = { config: Config.parse({}), inventory, rollouts, policy: DEFAULT_ACCESS_POLICY } as Partial<Services> as Services;
    const call = async (p: Pick<Principal, 'user' | 'groups'>) => {
      let body: unknown;
      const res = { json: (b: unknown) => void (body = b) };
      const { scope } = viewerOf(p);
      // A stand-in for Express's response (the handler calls res.json only) and the identity the middleware resolves.
      const args = { res, scope, principal: { ...p, groups: [...p.groups] }, services } as unknown as Parameters<
        typeof inboxRoute.handler
      >[0];
      await inboxRoute.handler(args);
      return Inbox.parse(body);
    };
    const a = await call(PERSONAS.clientAAdmin);
    expect(a.items.map((i) => i.rollout)).toEqual(['shop', 'web-v3', 'api']);
    expect(await call(PERSONAS.clientAAdmin)).toEqual(a);
    expect((await call(PERSONAS.clientBAdmin)).items.map((i) => i.rollout)).toEqual(['b-shop']);
    expect((await call(PERSONAS.clientADev)).items).toEqual([]);
  });
});
