import { describe, expect, it } from 'vitest';

import { rolloutDetailFor, rolloutSummaryFor } from '../../src/access/rollout-access.ts';
import { CTX, PERSONAS, makeRollout, viewerOf } from '../helpers/rollout-fixtures.ts';

// An ApplicationSet in Argo CD's own namespace (no tenant's): staging of client-a and client-b, then client-a production gated.
const mixed = makeRollout({
  name: 'guestbook',
  source: 'argocd',
  namespace: 'argocd',
  waves: [
    { name: 'staging', clusters: ['client-a-staging', 'client-b-staging'], state: 'Succeeded' },
    { name: 'production', clusters: ['prod-us-east'], waiting: true },
  ],
});
// The same set placed in a tenant's namespace belongs to that tenant (listed to it, redacted where it reaches beyond), never to another.
const inTenantNs = makeRollout({
  name: 'shop',
  source: 'argocd',
  namespace: 'fleet-client-b',
  waves: [{ name: 'production', clusters: ['prod-us-east'], waiting: true }],
});

const seen = (p: keyof typeof PERSONAS, r: typeof mixed) => {
  const s = rolloutSummaryFor(viewerOf(PERSONAS[p]), r, CTX);
  return s === undefined ? 'none' : s.redacted ? 'redacted' : 'full';
};

describe('who sees and acts on an Argo CD RollingSync rollout', () => {
  it("judges a set in Argo CD's namespace by its clusters, like a Fleet bundle; one in a tenant namespace by that tenant", () => {
    expect(seen('platformAdmin', mixed)).toBe('full');
    expect(seen('clientAAdmin', mixed)).toBe('redacted');
    expect(seen('clientBAdmin', mixed)).toBe('redacted');
    expect(seen('clientBAdmin', inTenantNs)).toBe('redacted');
    expect(seen('clientAAdmin', inTenantNs)).toBe('none');
    const b = rolloutSummaryFor(viewerOf(PERSONAS.clientBAdmin), mixed, CTX)!;
    expect(JSON.stringify(b)).not.toContain('client-a-staging');
    expect(JSON.stringify(b)).not.toContain('prod-us-east');
  });

  it('lets a tenant admin approve a gated step wholly theirs, and disables pause, abort and roll back with the reason', () => {
    const a = rolloutDetailFor(viewerOf(PERSONAS.clientAAdmin), mixed, CTX)!;
    expect(a.approveWaves.production).toEqual({ allowed: true });
    expect(rolloutDetailFor(viewerOf(PERSONAS.clientBAdmin), mixed, CTX)!.approveWaves.production?.allowed).toBe(false);
    const admin = rolloutDetailFor(viewerOf(PERSONAS.platformAdmin), mixed, CTX)!;
    expect(admin.actions.approve).toEqual({ allowed: true });
    expect(admin.actions.pause).toEqual({ allowed: false, reason: 'Argo CD progressive sync has no pause' });
    expect(admin.actions.abort).toEqual({ allowed: false, reason: 'Argo CD progressive sync has no abort' });
    expect(admin.actions.rollback).toEqual({
      allowed: false,
      reason: 'Argo CD progressive sync has no roll back: revert the commit in git',
    });
  });
});
