import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/config/load.ts';
import { rolloutSources } from '../../src/config/schema.ts';
import { RolloutService, type RolloutChange } from '../../src/sources/rollouts/rollout-service.ts';
import { rolloutDetailFor, rolloutEventFor, rolloutSummaryFor } from '../../src/access/rollout-access.ts';
import { CLUSTERS, CTX, FakeRolloutSource, makeRollout, PERSONAS, viewerOf } from '../helpers/rollout-fixtures.ts';

const run = makeRollout({
  name: 'web',
  waves: [
    { name: 'a', clusters: ['c1', 'c2'] },
    { name: 'b', clusters: ['c2', 'c3'] },
  ],
});
const ns = makeRollout({ name: 'shop', namespace: 'fleet-client-a', state: 'Stopped', waves: [{ name: 'a', clusters: ['c1'] }] });
const done = makeRollout({ name: 'old', state: 'Succeeded', waves: [{ name: 'a', clusters: ['c1'] }] });
const failed = makeRollout({ name: 'bad', state: 'Failed', waves: [{ name: 'a', clusters: ['c1'] }] });
const bundle = makeRollout({ name: 'core', source: 'rancher-fleet', namespace: 'fleet-default', waves: [{ name: 'p', clusters: ['c3'] }] });

async function service() {
  const kf = new FakeRolloutSource(['kubefleet', 'kubefleet-namespaced'], [run, ns, done, failed]);
  const fleet = new FakeRolloutSource(['rancher-fleet'], [bundle]);
  const s = new RolloutService([kf, fleet]);
  await s.start();
  return { s, kf, fleet };
}

describe('RolloutService', () => {
  it('merges its sources and routes each id to the source that owns it', async () => {
    const { s, kf, fleet } = await service();
    expect(s.list().map((r) => r.name)).toEqual(['web', 'shop', 'old', 'bad', 'core']);
    expect(s.get(bundle.id)?.name).toBe('core');
    expect(s.sourceFor(bundle.id)).toBe(fleet);
    expect(s.sourceFor(ns.id)).toBe(kf);
    expect(s.get('demo~~web')).toBeUndefined();
    expect(s.sourceFor('demo~~web')).toBeUndefined();
  });

  it('lists unfinished runs per touched cluster, once per cluster, with the rollout id', async () => {
    const { s } = await service();
    const { clusters } = s.byCluster();
    const of = (c: string) => clusters.get(c)?.map(({ run: name, namespace, state, id }) => ({ name, namespace, state, id }));
    expect(of('c1')).toEqual([
      { name: 'web', namespace: undefined, state: 'Progressing', id: 'kubefleet~~web' },
      { name: 'shop', namespace: 'fleet-client-a', state: 'Stopped', id: 'kubefleet-namespaced~fleet-client-a~shop' },
    ]);
    expect(of('c2')).toHaveLength(1);
    expect(of('c3')?.map((r) => r.name)).toEqual(['web', 'core']);
    expect(clusters.get('c1')![0]!.rollout.touches).toEqual(['c1', 'c2', 'c3']);
  });

  it('maps the rollout states onto the fleet cell’s', async () => {
    const states = ['Initializing', 'AwaitingApproval', 'Waiting', 'Unknown'] as const;
    const kf = new FakeRolloutSource(
      ['kubefleet'],
      states.map((state, i) => makeRollout({ name: `r${i}`, state, waves: [{ name: 'a', clusters: [`x${i}`] }] })),
    );
    const s = new RolloutService([kf]);
    await s.start();
    const { clusters } = s.byCluster();
    expect(states.map((_, i) => clusters.get(`x${i}`)![0]!.state)).toEqual(['Pending', 'Waiting', 'Waiting', 'Pending']);
  });

  it('publishes each change with the rollout as it was and as it is: the source’s own objects, uncopied', async () => {
    const { s, kf } = await service();
    const changes: RolloutChange[] = [];
    s.onChange((c) => changes.push(c));
    const first = deepFreeze(makeRollout({ name: 'new', waves: [{ name: 'a', clusters: ['c9'] }] }));
    kf.put(first);
    const second = deepFreeze({ ...first, state: 'Stopped' as const });
    kf.put(second);
    kf.remove(first.id);
    kf.remove('kubefleet~~never-existed');
    expect(changes.map((c) => [c.id, c.before?.state, c.after?.state])).toEqual([
      ['kubefleet~~new', undefined, 'Progressing'],
      ['kubefleet~~new', 'Progressing', 'Stopped'],
      ['kubefleet~~new', 'Stopped', undefined],
    ]);
    expect(changes[1]!.before).toBe(first);
    expect(changes[1]!.after).toBe(second);
  });

  it('nothing that reads a rollout writes to it: frozen rollouts pass through every view, event and the fleet cell', async () => {
    // Sources hand out objects they never change and the service shares them uncopied; a reader
    // writing to one would corrupt every later view. Frozen, any such write throws (strict mode).
    const names = (tenant: string) => CLUSTERS.filter((c) => c.tenant === tenant).map((c) => c.name);
    const history = [{ at: '2026-11-24T10:00:00Z', actor: 'someone-else@demo', action: 'approve', from: 'upstream' as const }];
    const items = [
      // Fleet-wide, waiting at a wave with a comment: redacted for tenants, approvable by some.
      makeRollout({
        name: 'fleet',
        history,
        waves: [
          { name: 'a', clusters: names('client-a').slice(0, 2), state: 'Succeeded' },
          { name: 'b', clusters: [...names('client-a').slice(2), ...names('client-b')], waiting: true, comment: 'ok' },
        ],
      }),
      makeRollout({
        name: 'shop',
        namespace: 'fleet-client-a',
        history,
        waves: [{ name: 'a', clusters: names('client-a'), waiting: true }],
      }),
      makeRollout({
        name: 'core',
        source: 'rancher-fleet',
        namespace: 'fleet-default',
        waves: [{ name: 'p', clusters: names('client-b') }],
      }),
    ].map((r) => deepFreeze(r));
    const kf = new FakeRolloutSource(['kubefleet', 'kubefleet-namespaced', 'rancher-fleet'], items);
    const s = new RolloutService([kf]);
    await s.start();
    const seen: RolloutChange[] = [];
    s.onChange((c) => seen.push(c));
    kf.put(deepFreeze({ ...items[0]!, state: 'Stopped' as const }));
    s.recordHistory(items[0]!.id, { at: '2026-11-24T10:00:05Z', actor: 'platform-admin@demo', action: 'pause', from: 'audit' });
    let views = 0;
    for (const persona of Object.values(PERSONAS)) {
      const viewer = viewerOf(persona);
      for (const r of s.list()) {
        if (rolloutSummaryFor(viewer, r, CTX)) views++;
        if (rolloutDetailFor(viewer, r, CTX, s.history(r.id))) views++;
      }
      for (const c of seen) if (rolloutEventFor(viewer, c.before, c.after, CTX)) views++;
    }
    // Full, redacted and hidden views were all made (not a test that passes by seeing nothing).
    expect(views).toBeGreaterThan(20);
    expect(s.byCluster().clusters.size).toBeGreaterThan(0);
    expect(s.list()).toEqual([{ ...items[0], state: 'Stopped' }, ...items.slice(1)]);
  });

  it('keeps a bounded action history per rollout', () => {
    const s = new RolloutService([], { historyPerRollout: 2, historyRollouts: 2 });
    const entry = (n: number) => ({ at: `2026-11-24T10:00:0${n}Z`, actor: 'a', action: 'pause', from: 'audit' as const });
    for (const n of [1, 2, 3]) s.recordHistory('x', entry(n));
    expect(s.history('x').map((h) => h.at)).toEqual([entry(2).at, entry(3).at]);
    s.recordHistory('y', entry(1));
    s.recordHistory('z', entry(1));
    expect(s.history('x')).toEqual([]);
    expect(s.history('z')).toHaveLength(1);
  });

  it('changes its history version with every entry, also when a full history keeps its length', () => {
    const s = new RolloutService([], { historyPerRollout: 1 });
    const entry = { at: '2026-11-24T10:00:01Z', actor: 'a', action: 'pause', from: 'audit' as const };
    const seen = new Set([s.historyVersion()]);
    for (let i = 0; i < 3; i++) {
      s.recordHistory('x', entry);
      seen.add(s.historyVersion());
    }
    expect(s.history('x')).toHaveLength(1);
    expect(seen.size).toBe(4);
  });
});

describe('rollouts configuration', () => {
  const real = {
    FLEETDECK_MODE: 'real',
    SESSION_SECRET: 'x'.repeat(32),
    OIDC_ISSUER_URL: 'https://idp.example.com',
    OIDC_CLIENT_ID: 'fleetdeck',
    OIDC_REDIRECT_URL: 'https://fleetdeck.example.com/api/auth/callback',
  };

  it('follows the mode and the inventory unless ROLLOUT_SOURCES says otherwise', () => {
    expect(rolloutSources(loadConfig({}))).toEqual(['demo']);
    expect(
      rolloutSources(
        loadConfig({ ...real, FLEETDECK_INVENTORY_SOURCES: 'kubefleet,rancher-fleet,static', FLEETDECK_STATIC_FLEET_FILE: '/f' }),
      ),
    ).toEqual(['kubefleet', 'rancher-fleet']);
    expect(
      rolloutSources(loadConfig({ ...real, FLEETDECK_INVENTORY_SOURCES: 'kubefleet,rancher-fleet', ROLLOUT_SOURCES: 'kubefleet' })),
    ).toEqual(['kubefleet']);
    expect(loadConfig({}).rollouts.tenantNamespace).toBe('fleet-{tenant}');
    expect(loadConfig({ ROLLOUT_TENANT_NAMESPACE: '{tenant}-hub' }).rollouts.tenantNamespace).toBe('{tenant}-hub');
  });

  it('refuses hub sources without a hub, unknown sources and a template without {tenant}', () => {
    expect(() => loadConfig({ ROLLOUT_SOURCES: 'kubefleet' })).toThrow(
      /rollouts.sources: "kubefleet" reads the hub.*\[from env ROLLOUT_SOURCES\]/,
    );
    expect(() => loadConfig({ ...real, ROLLOUT_SOURCES: 'argo' })).toThrow(/rollouts.sources/);
    expect(() => loadConfig({ ROLLOUT_TENANT_NAMESPACE: 'fleet' })).toThrow(/rollouts.tenantNamespace: must contain \{tenant\}/);
    expect(() => loadConfig({ ROLLOUT_TENANT_NAMESPACE: 'Fleet_{tenant}' })).toThrow(/rollouts.tenantNamespace/);
  });
});

/** Freezes an object and everything it holds: a write to any of it then throws (modules run in strict mode). */
function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
