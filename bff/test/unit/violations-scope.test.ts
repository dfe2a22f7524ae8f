import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { ViolationList, ViolationSummary, type Scope } from '@fleetdeck/shared';

import { streamCsv } from '../../src/access/violations/violation-csv.ts';
import { pageOf } from '../../src/access/violations/violation-page.ts';
import { namespaceLimited } from '../../src/access/violations/violation-scope.ts';
import { ViolationViews } from '../../src/access/violations/violation-views.ts';
import { A_ADMIN, A_DEV, B_VIEWER, CLUSTERS, FixedSource, PLATFORM, snapshot } from './violations-fixtures.ts';

const views = () => new ViolationViews(new FixedSource(snapshot()), () => ({ version: 1, clusters: CLUSTERS }));

async function csvOf(v: ViolationViews, scope: Scope): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const scoped = v.filtered(scope, {});
  await streamCsv(out, v.sorted(scope, { sort: 'cluster' }).rows, (c) => v.tenantOf(scoped, c));
  return text;
}

/** Everything one person can learn from the list, summary, coverage and CSV, as text. */
async function everything(scope: Scope): Promise<string> {
  const v = views();
  const s = v.filtered(scope, {});
  const list = ViolationList.parse({
    ...pageOf(v.sorted(scope, {}), undefined, 500),
    total: s.violations.length,
    truncations: s.truncations,
    feeds: s.feeds,
    errors: s.errors,
  });
  const summary = ViolationSummary.parse(v.summary(scope, {}));
  return JSON.stringify([list, summary, s.coverage, s.isolation]) + (await csvOf(v, scope));
}

describe('violations per person', () => {
  it('shows a Platform Admin every cluster, cluster-scoped results and every namespace', async () => {
    const v = views();
    const s = v.summary(PLATFORM, {});
    expect(s.total).toBe(9);
    expect(new Set(s.byPolicyCluster.map((c) => c.cluster))).toEqual(new Set(['a-prod', 'a-dev', 'b-prod']));
    expect(s.byTenant).toEqual([
      { tenant: 'client-a', count: 6 },
      { tenant: 'client-b', count: 3 },
    ]);
    expect(s.truncations).toHaveLength(3);
    expect(v.filtered(PLATFORM, {}).coverage).toHaveLength(3);
    const csv = await csvOf(v, PLATFORM);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(10);
    expect(csv).toContain('b-prod,client-b,');
  });

  it('keeps another tenant’s cluster from a Tenant Admin in list, summary, heat map, facets, coverage and CSV', async () => {
    const text = await everything(A_ADMIN);
    expect(text).not.toContain('b-prod');
    expect(text).not.toContain('client-b');
    const s = views().summary(A_ADMIN, {});
    expect(s.total).toBe(6);
    expect(s.byTenant).toEqual([{ tenant: 'client-a', count: 6 }]);
    // A Tenant Admin sees their clusters whole: cluster-scoped results and the truncation notes.
    expect(s.byEngine).toEqual([
      { engine: 'gatekeeper', count: 2 },
      { engine: 'kyverno', count: 4 },
    ]);
    expect(s.truncations.map((t) => t.cluster).sort()).toEqual(['a-dev', 'a-prod']);
  });

  it('gives a Developer only their namespaces on the clusters they may see: no cluster-scoped rows, no other namespaces’ counts', async () => {
    const v = views();
    const scoped = v.scoped(A_DEV);
    expect(namespaceLimited(scoped)).toBe(true);
    // client-a's developers may see dev and staging only: a-dev, in client-a-* namespaces.
    expect(scoped.violations.map((x) => [x.cluster, x.resource.namespace])).toEqual([['a-dev', 'client-a-web']]);
    const s = v.summary(A_DEV, {});
    expect(s.total).toBe(1);
    expect(s.byNamespace).toEqual([
      { cluster: 'a-dev', namespace: 'client-a-web', pass: 5, warn: 0, fail: 1, error: 0, skip: 1, violations: 1 },
    ]);
    expect(s.truncations).toEqual([]);
    expect(scoped.coverage).toEqual([]);
    expect(scoped.isolation.map((i) => i.namespace)).toEqual(['client-a-web']);
    const text = await everything(A_DEV);
    for (const hidden of ['kube-system', 'secret-ns-of', 'a-prod', 'b-prod', 'K8sRequiredLabels', '143'])
      expect(text).not.toContain(hidden);
  });

  it('gives a Viewer what their grant covers, and their cluster’s errors only', () => {
    const s = views().summary(B_VIEWER, {});
    expect(s.total).toBe(3);
    expect(s.byPolicyCluster.every((c) => c.cluster === 'b-prod')).toBe(true);
    expect(s.errors).toEqual([{ source: 'spoke', cluster: 'b-prod', reason: 'b-prod: constraints list answered 500' }]);
    expect(views().summary(A_ADMIN, {}).errors).toEqual([]);
  });

  it('shows nothing of a cluster the inventory does not know, even to a Platform Admin', () => {
    const snap = snapshot();
    const v = new ViolationViews(new FixedSource(snap), () => ({ version: 1, clusters: CLUSTERS.filter((c) => c.name !== 'b-prod') }));
    expect(JSON.stringify(v.summary(PLATFORM, {}))).not.toContain('b-prod');
  });

  it('applies filters inside the scope only: a Tenant Admin filtering on another tenant gets nothing', () => {
    const v = views();
    expect(v.summary(A_ADMIN, { tenant: 'client-b' }).total).toBe(0);
    expect(v.summary(A_ADMIN, { cluster: 'b-prod' }).byNamespace).toEqual([]);
    expect(v.summary(PLATFORM, { tenant: 'client-b' }).total).toBe(3);
    expect(v.summary(PLATFORM, { env: 'dev' }).byPolicyCluster.every((c) => c.cluster === 'a-dev')).toBe(true);
    expect(v.summary(PLATFORM, { engine: 'gatekeeper' }).total).toBe(3);
    expect(v.summary(PLATFORM, { severity: 'high', namespace: 'client-a-web' }).total).toBe(2);
  });

  it('keeps answers over inventory versions that move no cluster between tenants, and recomputes when one moves', () => {
    let inventory: { version: number; clusters: { name: string; tenant: string; environment: string }[] } = {
      version: 1,
      clusters: [...CLUSTERS],
    };
    const v = new ViolationViews(new FixedSource(snapshot()), () => inventory);
    const first = v.summary(A_ADMIN, {});
    inventory = { version: 2, clusters: [...CLUSTERS] };
    expect(v.summary(A_ADMIN, {})).toBe(first);
    inventory = { version: 3, clusters: CLUSTERS.map((c) => (c.name === 'b-prod' ? { ...c, tenant: 'client-a' } : c)) };
    expect(v.summary(A_ADMIN, {}).total).toBe(9);
  });

  it('drops cached answers when the snapshot changes', () => {
    const source = new FixedSource(snapshot(1));
    const v = new ViolationViews(source, () => ({ version: 1, clusters: CLUSTERS }));
    expect(v.summary(PLATFORM, {}).total).toBe(9);
    source.replace({ ...snapshot(2), violations: snapshot(2).violations.slice(0, 4) }, ['a-prod']);
    expect(v.summary(PLATFORM, {}).total).toBe(4);
  });
});
