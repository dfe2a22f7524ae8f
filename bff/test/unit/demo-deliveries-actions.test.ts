import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { demoDeliverySource } from '../../src/sources/demo/gitops/demo-delivery-source.ts';
import { DeliveryActionError, type DeliverySource, type SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';
import { DeliveryService, type DeliveryChange } from '../../src/sources/gitops/delivery-service.ts';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const tenantAdmin = { principal: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] }, requestId: 'r1' };
const admin = { principal: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] }, requestId: 'r2' };

const STOREFRONT = 'argocd:argocd/client-a-storefront-prod-us-east';
const CORE = 'fleet:fleet-default/core-stack';

let source: DeliverySource;
let changes: string[];

beforeEach(async () => {
  vi.useFakeTimers({ now: T0 });
  source = demoDeliverySource({ clusters: demoClusters(new Date(T0)), now: () => new Date() });
  changes = [];
  source.onChange((ids) => changes.push(...ids));
  await source.start();
});

afterEach(async () => {
  await source.stop();
  vi.useRealTimers();
});

const get = (id: string): SourceDelivery => {
  const d = source.get(id);
  if (!d) throw new Error(`no delivery ${id}`);
  return d;
};
const byName = (name: string) => get(source.list().find((d) => d.name === name)!.id);
const at = (ms: number) => vi.advanceTimersByTime(ms);

async function refusal(p: Promise<unknown>): Promise<DeliveryActionError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DeliveryActionError)) throw new Error(`expected a DeliveryActionError, got ${String(e)}`);
  return e;
}

describe('the demo deliveries’ Argo CD sync', () => {
  it('asks, runs, and ends Synced/Healthy with a new history entry; a second sync meanwhile is a 409', async () => {
    const before = get(STOREFRONT);
    const head = before.targets[0]!.appliedCommit;
    const result = await source.actions.sync!(tenantAdmin, before, {});
    expect(result).toEqual({ outcome: 'done', message: 'Sync of client-a-storefront-prod-us-east to its target revision asked' });

    const asked = get(STOREFRONT);
    expect(asked).not.toBe(before);
    expect(before.argocd?.syncPending).toBe(false);
    expect(asked.argocd).toMatchObject({ syncPending: true, sync: 'OutOfSync' });
    // Argo CD's API server clears the last operationState when it sets `operation`.
    expect(asked.argocd?.operation).toBeUndefined();
    expect(changes).toEqual([STOREFRONT]);

    const pending = await refusal(source.actions.sync!(admin, asked, {}));
    expect(pending.status).toBe(409);
    expect(pending.message).toBe('a sync is already running (started by client-a-admin@demo); wait for it to finish');

    at(2000);
    const running = get(STOREFRONT);
    expect(running.argocd).toMatchObject({
      syncPending: true,
      health: 'Progressing',
      operation: { phase: 'Running', initiatedBy: 'client-a-admin@demo' },
    });
    expect(running.argocd?.operation?.startedAt).toBe(new Date(T0 + 2000).toISOString());
    const again = await refusal(source.actions.sync!(admin, running, { revision: 'main' }));
    expect(again.status).toBe(409);
    expect(again.message).toContain(`started by client-a-admin@demo at ${new Date(T0 + 2000).toISOString()}`);

    at(4000);
    const done = get(STOREFRONT);
    expect(done.argocd).toMatchObject({
      syncPending: false,
      sync: 'Synced',
      health: 'Healthy',
      operation: { phase: 'Succeeded', revision: head },
    });
    const finishedAt = Date.parse(done.argocd!.operation!.finishedAt!);
    expect(finishedAt - T0).toBeGreaterThanOrEqual(4000);
    expect(finishedAt - T0).toBeLessThanOrEqual(6000);
    expect(done.targets[0]).toMatchObject({ status: { label: 'Synced / Healthy', tone: 'ok' }, appliedCommit: head, resources: [] });
    expect(done.targets[0]!.lastSyncAt).toBe(done.argocd!.operation!.finishedAt);
    expect(changes).toEqual([STOREFRONT, STOREFRONT, STOREFRONT]);

    // Done: a new sync is accepted again.
    await expect(source.actions.sync!(admin, done, {})).resolves.toMatchObject({ outcome: 'done' });
  });

  it('fails the app whose manifests Gatekeeper denies, and keeps a Degraded app Degraded', async () => {
    await source.actions.sync!(admin, byName('client-c-api-prod-asia'), { prune: true });
    await source.actions.sync!(admin, byName('client-b-checkout-prod-eu-west'), {});
    at(2000);
    expect(byName('client-c-api-prod-asia').argocd?.operation?.phase).toBe('Running');
    at(4000);
    const failed = byName('client-c-api-prod-asia');
    expect(failed.argocd).toMatchObject({
      syncPending: false,
      sync: 'OutOfSync',
      health: 'Healthy',
      operation: { phase: 'Failed', initiatedBy: 'platform-admin@demo' },
    });
    expect(failed.targets[0]!.status.label).toBe('OutOfSync / Healthy (sync failed)');
    expect(failed.targets[0]!.message).toContain('denied the request');
    const degraded = byName('client-b-checkout-prod-eu-west');
    expect(degraded.argocd).toMatchObject({ syncPending: false, health: 'Degraded', operation: { phase: 'Succeeded' } });
    expect(degraded.targets[0]!.resources.length).toBeGreaterThan(0);
  });

  it('syncs to a revision asked for, and leaves it OutOfSync against its branch', async () => {
    const result = await source.actions.sync!(admin, get(STOREFRONT), { revision: 'v2.13.2' });
    expect(result.message).toBe('Sync of client-a-storefront-prod-us-east to revision v2.13.2 asked');
    at(6000);
    const d = get(STOREFRONT);
    expect(d.argocd?.operation?.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(d.argocd?.operation?.revision).not.toBe(d.renderedCommit);
    expect(d.argocd?.sync).toBe('OutOfSync');
  });

  it('refresh marks the app reconciled now', async () => {
    const before = get(STOREFRONT);
    at(30_000);
    const r = await source.actions.refresh!(admin, before, true);
    expect(r.message).toContain('Hard refresh of client-a-storefront-prod-us-east asked');
    expect(get(STOREFRONT).argocd?.reconciledAt).toBe(new Date(T0 + 30_000).toISOString());
    expect(changes).toEqual([STOREFRONT]);
  });

  it('refuses an action of the other engine', async () => {
    expect((await refusal(source.actions.sync!(admin, get(CORE), {}))).status).toBe(400);
    expect((await refusal(source.actions.forceUpdate!(admin, get(STOREFRONT), 'click-0001'))).status).toBe(400);
    expect(changes).toEqual([]);
  });
});

describe('the demo deliveries’ Fleet actions', () => {
  it('force update bumps forceSyncGeneration once per click and re-applies the drifted cluster', async () => {
    const before = get(CORE);
    const gen = before.fleet!.forceSyncGeneration;
    const first = await source.actions.forceUpdate!(admin, before, 'click-aaaa-0001');
    expect(first).toEqual({ outcome: 'done', message: `forceSyncGeneration ${gen} → ${gen + 1}: Fleet redeploys core-stack` });
    // The same click again (a retry, the other replica): nothing more.
    const same = await source.actions.forceUpdate!(admin, get(CORE), 'click-aaaa-0001');
    expect(same.outcome).toBe('no-op');
    expect(get(CORE).fleet?.forceSyncGeneration).toBe(gen + 1);
    expect(get(CORE).annotations).toEqual({ 'fleetdeck.dev/force-update-clicks': 'click-aaaa-0001' });
    expect(get(CORE).repoStatus).toMatchObject({ label: 'GitUpdating' });
    expect(changes).toEqual([CORE]);

    const drift = () => get(CORE).targets.find((t) => t.cluster === 'edge-retail-004')!;
    expect(drift().fleetState).toBe('Modified');
    at(2000);
    expect(get(CORE).fleet?.gitJob).toBe('Current');
    expect(get(CORE).repoStatus).toBeUndefined();
    expect(drift()).toMatchObject({ fleetState: 'WaitApplied', status: { tone: 'progressing' } });
    at(2500);
    expect(drift()).toMatchObject({ fleetState: 'Ready', resources: [], appliedCommit: get(CORE).renderedCommit });
    expect(drift().message).toBeUndefined();
    // Clusters whose agent is away are not made Ready by a force update.
    expect(get(CORE).targets.find((t) => t.cluster === 'edge-retail-007')?.fleetState).toBe('NotReady');
    expect(get(CORE).targets.find((t) => t.cluster === 'edge-retail-011')?.fleetState).toBe('WaitApplied');

    await source.actions.forceUpdate!(admin, get(CORE), 'click-bbbb-0002');
    expect(get(CORE).fleet?.forceSyncGeneration).toBe(gen + 2);
  });

  it('force update of the repo whose git job fails runs the job, which fails again', async () => {
    const id = byName('client-c-analytics').id;
    await source.actions.forceUpdate!(admin, get(id), 'click-cccc-0003');
    expect(get(id).fleet?.gitJob).toBe('InProgress');
    at(2000);
    expect(get(id).fleet?.gitJob).toBe('Failed');
    expect(get(id).fleet?.gitJobMessage).toContain('authentication required');
    expect(get(id).repoStatus?.tone).toBe('error');
  });

  it('pause holds every cluster; resume lets the held commit roll out', async () => {
    const paused = await source.actions.setPaused!(admin, get(CORE), true);
    expect(paused.outcome).toBe('done');
    expect(get(CORE).paused).toBe(true);
    expect(get(CORE).targets.every((t) => t.paused && t.status.label.endsWith('(paused)'))).toBe(true);
    expect((await source.actions.setPaused!(admin, get(CORE), true)).outcome).toBe('no-op');

    const payments = byName('client-b-payments');
    expect(payments.targets.every((t) => t.appliedCommit !== payments.renderedCommit)).toBe(true);
    await source.actions.setPaused!(admin, payments, false);
    expect(get(payments.id).paused).toBe(false);
    expect(get(payments.id).targets.every((t) => t.fleetState === 'OutOfSync' && t.status.tone === 'warning')).toBe(true);
    at(1000);
    expect(get(payments.id).targets.every((t) => t.fleetState === 'WaitApplied')).toBe(true);
    at(2500);
    const rolled = get(payments.id);
    expect(rolled.targets.every((t) => t.fleetState === 'Ready' && t.appliedCommit === rolled.renderedCommit)).toBe(true);
    expect(rolled.targets[0]!.lastSyncAt).toBe(new Date(T0 + 3500).toISOString());
  });

  it('a pause during a re-apply holds the clusters where they are', async () => {
    await source.actions.forceUpdate!(admin, get(CORE), 'click-dddd-0004');
    at(2000);
    await source.actions.setPaused!(admin, get(CORE), true);
    at(10_000);
    expect(get(CORE).targets.find((t) => t.cluster === 'edge-retail-004')?.fleetState).toBe('WaitApplied');
  });
});

describe('the demo deliveries’ motion and events', () => {
  it('stop clears every timer: nothing moves or is told afterwards', async () => {
    await source.actions.sync!(admin, get(STOREFRONT), {});
    await source.actions.forceUpdate!(admin, get(CORE), 'click-eeee-0005');
    expect(vi.getTimerCount()).toBe(2);
    await source.stop();
    expect(vi.getTimerCount()).toBe(0);
    const seen = changes.length;
    at(60_000);
    expect(changes.length).toBe(seen);
    expect(get(STOREFRONT).argocd?.syncPending).toBe(true);
  });

  it('publishes each change through the delivery service with the record as it was and as it is', async () => {
    const service = new DeliveryService([source]);
    await service.start();
    const seen: DeliveryChange[] = [];
    service.onChange((c) => seen.push(...c));
    const v = service.version;
    const before = service.get(STOREFRONT);
    await source.actions.sync!(tenantAdmin, before!, {});
    at(6000);
    expect(seen.map((c) => c.id)).toEqual([STOREFRONT, STOREFRONT, STOREFRONT]);
    expect(seen[0]!.before).toBe(before);
    expect(seen[0]!.after?.argocd?.syncPending).toBe(true);
    expect(seen[2]!.after?.argocd?.sync).toBe('Synced');
    expect(service.version).toBe(v + 3);
    // Records handed out are never changed afterwards.
    expect(before?.argocd?.syncPending).toBe(false);
    expect(service.list().find((d) => d.id === STOREFRONT)).toBe(seen[2]!.after);
    await service.stop();
  });

  it('an unsubscribed listener hears nothing more', async () => {
    const heard: string[] = [];
    const off = source.onChange((ids) => heard.push(...ids));
    off();
    await source.actions.refresh!(admin, get(STOREFRONT), false);
    expect(heard).toEqual([]);
    expect(changes).toEqual([STOREFRONT]);
  });
});
