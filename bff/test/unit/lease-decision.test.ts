import { describe, expect, it } from 'vitest';

import { decideLease, expiresAt, leaseToWrite, releasedLease, type LeaseObject } from '../../src/promotion/lease-decision.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const REF = { namespace: 'fleetdeck-system', name: 'fleetdeck-promotion' };
const lease = (spec: LeaseObject['spec'], resourceVersion = '7'): LeaseObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { ...REF, resourceVersion },
  spec,
});
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000).toISOString();

describe('the leader Lease rule', () => {
  it('creates the Lease when there is none', () => {
    expect(decideLease(undefined, NOW, 'me')).toEqual({ kind: 'create' });
  });

  it('renews a Lease it holds, even one that lapsed (nobody took it meanwhile)', () => {
    expect(decideLease(lease({ holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: at(2) }), NOW, 'me')).toEqual({ kind: 'renew' });
    expect(decideLease(lease({ holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: at(60) }), NOW, 'me')).toEqual({ kind: 'renew' });
  });

  it('waits while another replica holds an unexpired Lease, until renewTime + duration', () => {
    expect(decideLease(lease({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: at(14) }), NOW, 'me')).toEqual({
      kind: 'wait',
      holder: 'other',
      until: new Date(NOW.getTime() + 1000),
    });
  });

  it('takes over a Lease that expired, that nobody holds, or whose times cannot be read', () => {
    expect(decideLease(lease({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: at(16) }), NOW, 'me').kind).toBe('acquire');
    expect(decideLease(lease({ leaseDurationSeconds: 15, renewTime: at(1) }), NOW, 'me').kind).toBe('acquire');
    expect(decideLease(lease({ holderIdentity: '', leaseDurationSeconds: 15, renewTime: at(1) }), NOW, 'me').kind).toBe('acquire');
    expect(decideLease(lease({ holderIdentity: 'other' }), NOW, 'me').kind).toBe('acquire');
  });

  it('a released Lease (no holder, 1 s) is taken at once by the next replica', () => {
    const held = lease({ holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: at(1), acquireTime: at(100), leaseTransitions: 2 });
    const released = releasedLease(held, NOW);
    expect(released.spec).toMatchObject({ leaseDurationSeconds: 1, leaseTransitions: 2 });
    expect(released.spec?.holderIdentity).toBeUndefined();
    expect(released.metadata.resourceVersion).toBe('7');
    expect(decideLease(released, NOW, 'b').kind).toBe('acquire');
  });

  it('writes the holder, MicroTimes and transitions, keeping the read resourceVersion as the precondition', () => {
    const current = lease({
      holderIdentity: 'other',
      leaseDurationSeconds: 15,
      renewTime: at(30),
      acquireTime: at(300),
      leaseTransitions: 4,
    });
    const taken = leaseToWrite({ kind: 'acquire' }, current, REF, 'me', 15, NOW);
    expect(taken.metadata.resourceVersion).toBe('7');
    expect(taken.spec).toEqual({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      acquireTime: '2026-11-26T10:00:00.000000Z',
      renewTime: '2026-11-26T10:00:00.000000Z',
      leaseTransitions: 5,
    });
    const renewed = leaseToWrite({ kind: 'renew' }, lease({ ...taken.spec }), REF, 'me', 15, new Date(NOW.getTime() + 5000));
    expect(renewed.spec).toMatchObject({
      acquireTime: '2026-11-26T10:00:00.000000Z',
      renewTime: '2026-11-26T10:00:05.000000Z',
      leaseTransitions: 5,
    });
    const created = leaseToWrite({ kind: 'create' }, undefined, REF, 'me', 15, NOW);
    expect(created.metadata).toEqual({ name: REF.name, namespace: REF.namespace });
    expect(created.spec?.leaseTransitions).toBe(0);
    expect(expiresAt(created)).toEqual(new Date(NOW.getTime() + 15_000));
  });
});
