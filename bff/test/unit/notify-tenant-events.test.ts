import { describe, expect, it } from 'vitest';

import type { PromotionNotice } from '../../src/promotion/contracts.ts';
import { webhookEvent } from '../../src/promotion/notify/webhook-event.ts';
import { CLUSTERS, CTX, makeRollout } from '../helpers/rollout-fixtures.ts';

const URL_ = 'https://fleet.example.com';
const NOW = new Date('2026-11-24T12:00:00Z');
const A = { name: 'client-a-hook', tenant: 'client-a' };
const B = { name: 'client-b-hook', tenant: 'client-b' };
const ALL = { name: 'platform', tenant: '*' };
const notBelongingTo = (tenant: string) => CLUSTERS.filter((c) => c.tenant !== tenant).map((c) => c.name);

/** A cluster-scoped run over client-a and client-b; its prod wave mixes both. */
const shared = makeRollout({
  name: 'cve-2024-critical',
  waves: [
    { name: 'canary', clusters: ['edge-retail-001', 'client-b-staging'] },
    { name: 'prod', clusters: ['prod-us-east', 'prod-eu-west'], waiting: true },
    { name: 'bonly', clusters: ['client-b-dev'] },
  ],
});
const nsA = makeRollout({
  name: 'shop',
  namespace: 'fleet-client-a',
  waves: [{ name: 'prod', clusters: ['prod-us-east'], waiting: true }],
});
const onlyB = makeRollout({ name: 'b-app', waves: [{ name: 'prod', clusters: ['prod-eu-west'], waiting: true }] });

const notice = (rollout: PromotionNotice['rollout'], patch: Partial<PromotionNotice> = {}): PromotionNotice => ({
  kind: 'waveWaiting',
  dedupeKey: `k|${rollout.id}`,
  rollout,
  wave: 'prod',
  text: 'Rollout x: wave prod waits; prod-eu-west is slow.',
  ...patch,
});

describe('webhook events per tenant', () => {
  it('a tenant webhook hears of a shared run naming only its own clusters, with a text that names nobody else', () => {
    const a = webhookEvent(notice(shared), A, CTX, URL_, NOW)!;
    expect(a).toMatchObject({ kind: 'waveWaiting', rollout: 'cve-2024-critical', wave: 'prod', clusters: ['prod-us-east'] });
    expect(a.tenant).toBeUndefined();
    expect(a.text).toBe('Rollout cve-2024-critical: wave prod is waiting for approval.');
    const b = webhookEvent(notice(shared), B, CTX, URL_, NOW)!;
    expect(b.clusters).toEqual(['prod-eu-west']);
    for (const name of notBelongingTo('client-a')) expect(JSON.stringify(a)).not.toContain(name);
    for (const name of notBelongingTo('client-b')) expect(JSON.stringify(b)).not.toContain(name);
  });

  it('the fleet-wide webhook hears everything with every cluster and the source’s text', () => {
    const e = webhookEvent(notice(shared), ALL, CTX, URL_, NOW)!;
    expect(e.clusters).toEqual(['prod-us-east', 'prod-eu-west']);
    expect(e.text).toBe('Rollout x: wave prod waits; prod-eu-west is slow.');
    expect(e.link).toBe(`${URL_}/rollouts/kubefleet~~cve-2024-critical?readiness=prod`);
    expect(e.at).toBe(NOW.toISOString());
  });

  it('rollout-level events name the tenant’s clusters of the whole run', () => {
    const done = notice(shared, { kind: 'rolloutCompleted', wave: undefined, text: 'done' });
    expect(webhookEvent(done, A, CTX, URL_, NOW)!.clusters.sort()).toEqual(['edge-retail-001', 'prod-us-east']);
    expect(webhookEvent(done, B, CTX, URL_, NOW)!.clusters.sort()).toEqual(['client-b-dev', 'client-b-staging', 'prod-eu-west']);
    expect(webhookEvent(done, A, CTX, URL_, NOW)!.link).toBe(`${URL_}/rollouts/kubefleet~~cve-2024-critical`);
  });

  it('a wave without any of the tenant’s clusters is not news to it', () => {
    expect(webhookEvent(notice(shared, { wave: 'bonly' }), A, CTX, URL_, NOW)).toBeUndefined();
    expect(webhookEvent(notice(shared, { wave: 'bonly' }), B, CTX, URL_, NOW)?.clusters).toEqual(['client-b-dev']);
  });

  it('another tenant’s run (namespaced or cluster-scoped) never reaches a tenant webhook', () => {
    expect(webhookEvent(notice(nsA), B, CTX, URL_, NOW)).toBeUndefined();
    expect(webhookEvent(notice(onlyB), A, CTX, URL_, NOW)).toBeUndefined();
    const own = webhookEvent(notice(nsA, { text: 'Rollout shop: wave prod waits.' }), A, CTX, URL_, NOW)!;
    expect(own).toMatchObject({ tenant: 'client-a', clusters: ['prod-us-east'], text: 'Rollout shop: wave prod waits.' });
  });

  it('ids differ per webhook and repeat for the same notice', () => {
    const n = notice(shared);
    expect(webhookEvent(n, A, CTX, URL_, NOW)!.id).toBe(webhookEvent(n, A, CTX, URL_, new Date())!.id);
    expect(webhookEvent(n, A, CTX, URL_, NOW)!.id).not.toBe(webhookEvent(n, B, CTX, URL_, NOW)!.id);
  });
});
