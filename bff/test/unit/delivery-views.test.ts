import { describe, expect, it } from 'vitest';

import { DeliveryDetailResponse, DeliveryList, type Scope } from '@fleetdeck/shared';

import { BadLabels } from '../../src/access/deliveries/delivery-filter.ts';
import { BadCursor } from '../../src/access/deliveries/delivery-page.ts';
import { syncPreview } from '../../src/access/deliveries/delivery-preview.ts';
import { NOT_OPERATOR, OUTSIDE_SCOPE } from '../../src/access/deliveries/delivery-scope.ts';
import { DeliveryViews } from '../../src/access/deliveries/delivery-views.ts';
import {
  A_ADMIN,
  A_DEV,
  B_VIEWER,
  CLUSTERS,
  FLEET_VIEWER,
  FixedStore,
  PLATFORM,
  argoApp,
  deliveries,
  fleetTarget,
  gitRepo,
} from './delivery-views-fixtures.ts';

const views = (store = new FixedStore()) => new DeliveryViews(store, () => ({ version: 1, clusters: CLUSTERS }));
const ids = (v: DeliveryViews, scope: Scope, q = {}) => v.page(scope, { limit: 500, ...q }).items.map((r) => r.delivery.name);

/** Everything a person can read from the list, every detail and every cluster page, as one text. */
function everything(v: DeliveryViews, scope: Scope): string {
  const list = DeliveryList.parse(v.page(scope, { limit: 500, group: 'cluster' }));
  const details = deliveries().map((d) => v.detail(scope, d.id) && DeliveryDetailResponse.parse(v.detail(scope, d.id)));
  const clusters = CLUSTERS.map((c) => v.onCluster(scope, c.name));
  return JSON.stringify([list, details, clusters, syncPreview(v, scope, 'env')]);
}

describe('delivery views: who sees what', () => {
  it('a platform admin sees every GitRepo and app, the unmapped one too', () => {
    expect(ids(views(), PLATFORM, { sort: 'name' })).toEqual([
      'a-sys-dev',
      'a-web-dev',
      'a-web-prod',
      'b-api',
      'b-only',
      'core-stack',
      'lost',
      'nowhere',
    ]);
  });

  it('a tenant admin sees their apps and the shared repo, never the other tenant’s, nor unmapped or target-less ones', () => {
    const v = views();
    expect(ids(v, A_ADMIN, { sort: 'name' })).toEqual(['a-sys-dev', 'a-web-dev', 'a-web-prod', 'core-stack']);
    const text = everything(v, A_ADMIN);
    // Quoted: "a-web-prod" ends in b-prod.
    for (const hidden of ['"b-prod"', 'b-api', 'b-only', 'client-b', 'secret broke', 'lost', 'nowhere', 'ErrApplied', 'b-only'])
      expect(text).not.toContain(hidden);
  });

  it('a client-b viewer sees core-stack only through b-prod, with its counts over b-prod alone', () => {
    const v = views();
    expect(ids(v, B_VIEWER, { sort: 'name' })).toEqual(['b-api', 'b-only', 'core-stack']);
    const core = v.detail(B_VIEWER, 'fleet:fleet-default/core-stack')!.delivery;
    expect(core.targets.map((t) => t.cluster)).toEqual(['b-prod']);
    expect([core.ready, core.desired, core.byStatus, core.status.label, core.lastSyncAt]).toEqual([
      0,
      1,
      { ErrApplied: 1 },
      'ErrApplied',
      '2026-01-02T10:00:00.000Z'.replace('.000', ''),
    ]);
    expect(everything(v, B_VIEWER)).not.toMatch(/"a-prod"|"a-dev"|client-a|drift in/);
  });

  it('counts are over visible targets only: client-a reads core-stack as Modified, 1 of 2 ready, last synced from a-prod', () => {
    const core = views().detail(A_ADMIN, 'fleet:fleet-default/core-stack')!.delivery;
    expect(core).toMatchObject({ ready: 1, desired: 2, byStatus: { Ready: 1, Modified: 1 }, lastSyncAt: '2026-01-01T10:00:00Z' });
    expect(core.status.label).toBe('Modified');
  });

  it('placement is cut to visible clusters, and a rule reaching only hidden ones is left out', () => {
    const a = views().detail(A_ADMIN, 'fleet:fleet-default/core-stack')!.delivery.placement!;
    expect(a.targets).toEqual([{ name: 'prod', selector: 'env=production', clusters: ['a-prod'] }]);
    expect(a.customizations[0]!.clusters).toEqual(['a-prod']);
    expect(views().detail(PLATFORM, 'fleet:fleet-default/core-stack')!.delivery.placement!.targets).toHaveLength(2);
  });

  it('a developer sees apps only in their namespaces on dev clusters, and resources cut to those namespaces', () => {
    const v = views();
    expect(ids(v, A_DEV, { sort: 'name' })).toEqual(['a-web-dev', 'core-stack']);
    const t = v.detail(A_DEV, 'fleet:fleet-default/core-stack')!.delivery.targets;
    expect(t).toHaveLength(1);
    expect(t[0]!.resources.map((r) => r.name)).toEqual(['web']);
    expect(t[0]!.message).toBeUndefined();
    expect(t[0]!.resourcesCut).toBeUndefined();
    expect(v.detail(A_DEV, 'argocd:argocd/a-sys-dev')).toBeUndefined();
  });

  it('a missing and a hidden id answer alike', () => {
    const v = views();
    expect(v.detail(A_ADMIN, 'argocd:argocd/b-api')).toBeUndefined();
    expect(v.detail(A_ADMIN, 'argocd:argocd/none')).toBeUndefined();
  });

  it('an unmapped app and a repo with no targets are for whole-fleet viewers only', () => {
    expect(ids(views(), FLEET_VIEWER, { sort: 'name' })).toContain('lost');
    expect(ids(views(), FLEET_VIEWER, { sort: 'name' })).toContain('nowhere');
  });
});

describe('delivery views: can', () => {
  it('force update needs operate on every cluster the repo reaches, with one reason whatever is hidden', () => {
    const v = views();
    expect(v.detail(PLATFORM, 'fleet:fleet-default/core-stack')!.delivery.can).toEqual({ forceUpdate: '', pause: '' });
    expect(v.detail(A_ADMIN, 'fleet:fleet-default/core-stack')!.delivery.can.forceUpdate).toBe(OUTSIDE_SCOPE);
    // One hidden cluster or many: the same words.
    const many = new FixedStore([
      gitRepo('core-stack', [fleetTarget('a-prod', 'Ready'), ...['b-1', 'b-2', 'b-3'].map((c) => fleetTarget(c, 'Ready'))]),
    ]);
    expect(views(many).detail(A_ADMIN, 'fleet:fleet-default/core-stack')!.delivery.can.forceUpdate).toBe(OUTSIDE_SCOPE);
    expect(v.detail(B_VIEWER, 'fleet:fleet-default/b-only')!.delivery.can.pause).toBe(NOT_OPERATOR);
  });

  it('sync needs operate on the destination; Fleet actions are absent on apps and the reverse', () => {
    const v = views();
    expect(v.detail(A_ADMIN, 'argocd:argocd/a-web-prod')!.delivery.can).toEqual({ sync: '', refresh: '' });
    expect(v.detail(B_VIEWER, 'argocd:argocd/b-api')!.delivery.can.sync).toBe(NOT_OPERATOR);
    expect(v.detail(A_DEV, 'argocd:argocd/a-web-dev')!.delivery.can.sync).toBe(NOT_OPERATOR);
    expect(v.detail(PLATFORM, 'argocd:argocd/lost')!.delivery.can.sync).toBe('');
    expect(v.detail(FLEET_VIEWER, 'argocd:argocd/lost')!.delivery.can.sync).not.toBe('');
  });
});

describe('delivery views: filters, grouping, sort, pages', () => {
  it('filters by engine, tenant, cluster, env, tone, text and labels', () => {
    const v = views();
    expect(ids(v, PLATFORM, { engine: 'fleet', sort: 'name' })).toEqual(['b-only', 'core-stack', 'nowhere']);
    expect(ids(v, PLATFORM, { tenant: 'client-b', sort: 'name' })).toEqual(['b-api', 'b-only']);
    expect(ids(v, PLATFORM, { cluster: 'a-dev', sort: 'name' })).toEqual(['a-sys-dev', 'a-web-dev', 'core-stack']);
    expect(ids(v, PLATFORM, { env: 'dev', sort: 'name' })).toEqual(['a-sys-dev', 'a-web-dev', 'core-stack']);
    expect(ids(v, PLATFORM, { tone: 'error', sort: 'name' })).toEqual(['a-sys-dev', 'b-api', 'core-stack', 'nowhere']);
    expect(ids(v, PLATFORM, { q: 'WEB-', sort: 'name' })).toEqual(['a-web-dev', 'a-web-prod']);
    expect(ids(v, PLATFORM, { labels: 'env=production', sort: 'name' })).toEqual(['a-web-prod', 'b-api']);
    expect(ids(v, PLATFORM, { labels: 'tier in (platform)', sort: 'name' })).toEqual(['core-stack']);
  });

  it('refuses cluster names, groups and annotations in labels, naming the position', () => {
    const v = views();
    expect(() => v.page(PLATFORM, { labels: 'env=production,prod-*' })).toThrow(/cluster name pattern.*character 16/);
    expect(() => v.page(PLATFORM, { labels: 'group:edge' })).toThrow(BadLabels);
    expect(() => v.page(PLATFORM, { labels: 'env=' + '(' })).toThrow(BadLabels);
  });

  it('a filter on a hidden cluster or tenant finds nothing, as one that does not exist', () => {
    const v = views();
    expect(v.page(A_ADMIN, { cluster: 'b-prod' })).toMatchObject({ total: 0, items: [], byTone: {} });
    expect(v.page(A_ADMIN, { tenant: 'client-b' })).toMatchObject({ total: 0, items: [] });
  });

  it('sorts worst first, by name, and by last sync newest first', () => {
    const v = views();
    const worst = v.page(A_ADMIN, { limit: 500 }).items.map((r) => r.delivery.status.rank);
    expect(worst).toEqual([...worst].sort((a, b) => b - a));
    expect(ids(v, PLATFORM, { sort: 'lastSync' })[0]).toBe('core-stack');
  });

  it('groups by cluster, repeating a delivery per visible cluster with that cluster’s part', () => {
    const rows = views()
      .page(A_ADMIN, { group: 'cluster', limit: 500 })
      .items.filter((r) => r.delivery.name === 'core-stack');
    expect(rows.map((r) => [r.group, r.delivery.status.label, r.delivery.desired])).toEqual([
      ['a-dev', 'Modified', 1],
      ['a-prod', 'Ready', 1],
    ]);
    const byTenant = views().page(PLATFORM, { group: 'tenant', limit: 500 }).items;
    expect(byTenant.map((r) => r.group ?? '-')).toEqual(['client-a', 'client-a', 'client-a', 'client-b', 'client-b', '-', '-', '-']);
  });

  it('counts byTone under every filter but the tone, and total under all', () => {
    const page = views().page(A_ADMIN, { tone: 'error' });
    expect(page.total).toBe(1);
    expect(page.byTone).toEqual({ error: 1, warning: 2, ok: 1 });
  });

  it('pages with an opaque cursor that continues after the last row and refuses another order', () => {
    const v = views();
    const all = ids(v, PLATFORM);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = v.page(PLATFORM, { limit: 3, ...(cursor && { cursor }) });
      seen.push(...p.items.map((r) => r.delivery.name));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const first = v.page(PLATFORM, { limit: 3 }).nextCursor!;
    expect(() => v.page(PLATFORM, { limit: 3, sort: 'name', cursor: first })).toThrow(BadCursor);
    expect(() => v.page(PLATFORM, { cursor: 'nope' })).toThrow(BadCursor);
  });

  it('errors about a hidden cluster are not passed on', () => {
    const store = new FixedStore(deliveries(), [
      { source: 'argocd', reason: 'watch on applications down' },
      { source: 'fleet', cluster: 'b-prod', reason: 'bundle deployments unreadable on b-prod' },
    ]);
    expect(views(store).page(A_ADMIN, {}).errors).toEqual([{ source: 'argocd', reason: 'watch on applications down' }]);
    expect(views(store).page(B_VIEWER, {}).errors).toHaveLength(2);
  });

  it('a new version of the deliveries drops the cache', () => {
    const store = new FixedStore();
    const v = views(store);
    expect(ids(v, A_ADMIN)).toHaveLength(4);
    store.set([...deliveries(), argoApp('a-new', 'a-prod', 'client-a-new')]);
    expect(ids(v, A_ADMIN)).toHaveLength(5);
  });
});

describe('sync preview', () => {
  it('lists matching visible apps with why each would be passed over', () => {
    const pending = argoApp('a-busy', 'a-prod', 'client-a-x', 'OutOfSync');
    const store = new FixedStore([...deliveries(), { ...pending, argocd: { ...pending.argocd!, syncPending: true } }]);
    const p = syncPreview(views(store), A_ADMIN, 'env=production');
    expect(p.items.map((i) => [i.name, i.skip])).toEqual([
      ['a-busy', 'a sync is already running; wait for it to finish'],
      ['a-web-prod', ''],
    ]);
    expect(syncPreview(views(store), B_VIEWER, 'env=production').items.map((i) => [i.name, i.skip])).toEqual([['b-api', NOT_OPERATOR]]);
  });
});
