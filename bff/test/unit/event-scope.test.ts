import { describe, expect, it } from 'vitest';

import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { eventForScope } from '../../src/events/event-hub.ts';

const clusters = demoClusters(new Date('2026-11-24T10:00:00Z'));
const a = clusters.find((c) => c.name === 'prod-us-east')!;
const b = clusters.find((c) => c.name === 'prod-eu-west')!;
const adminA = resolveScope({ user: 'ada', groups: ['tenant-client-a-admins'] }, DEFAULT_ACCESS_POLICY);
const devA = resolveScope({ user: 'dana', groups: ['tenant-client-a-developers'] }, DEFAULT_ACCESS_POLICY);

describe('eventForScope', () => {
  it('passes changes of clusters the person may see', () => {
    expect(eventForScope(adminA, { type: 'MODIFIED', cluster: { ...a, state: 'NotReady' }, previous: a })).toEqual({
      type: 'MODIFIED',
      cluster: { ...a, state: 'NotReady' },
    });
    expect(eventForScope(adminA, { type: 'ADDED', cluster: a })).toEqual({ type: 'ADDED', cluster: a });
    expect(eventForScope(adminA, { type: 'DELETED', cluster: a })).toEqual({ type: 'DELETED', name: 'prod-us-east' });
  });

  it('says nothing at all about clusters the person may not see, deletions included', () => {
    expect(eventForScope(adminA, { type: 'MODIFIED', cluster: { ...b, state: 'NotReady' }, previous: b })).toBeUndefined();
    expect(eventForScope(adminA, { type: 'ADDED', cluster: b })).toBeUndefined();
    expect(eventForScope(adminA, { type: 'DELETED', cluster: b })).toBeUndefined();
    expect(eventForScope(devA, { type: 'MODIFIED', cluster: { ...a, state: 'NotReady' }, previous: a })).toBeUndefined();
  });

  it('turns moves across the scope boundary into ADDED / DELETED', () => {
    const movedIn = { ...b, tenant: 'client-a', labels: { ...b.labels, client: 'client-a' } };
    expect(eventForScope(adminA, { type: 'MODIFIED', cluster: movedIn, previous: b })).toEqual({ type: 'ADDED', cluster: movedIn });
    const movedOut = { ...a, tenant: 'client-b' };
    expect(eventForScope(adminA, { type: 'MODIFIED', cluster: movedOut, previous: a })).toEqual({ type: 'DELETED', name: 'prod-us-east' });
    // A developer loses sight of a cluster promoted to production.
    const staging = clusters.find((c) => c.name === 'client-a-staging')!;
    expect(eventForScope(devA, { type: 'MODIFIED', cluster: { ...staging, environment: 'production' }, previous: staging })).toEqual({
      type: 'DELETED',
      name: 'client-a-staging',
    });
  });
});
