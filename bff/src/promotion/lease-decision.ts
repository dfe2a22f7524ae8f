/**
 * The leader election rule over one `coordination.k8s.io/v1` Lease, pure: given the Lease as
 * read (or none), the time and who we are, what to write. The same rule as client-go's
 * leader election, with the holder's own renewTime as the clock (replicas share the hub's
 * notion of time closely enough for a lease of seconds; see the README's note on skew).
 */

/** The fields of a Lease this rule reads and writes. */
export interface LeaseObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
  [k: string]: unknown;
}

export type LeaseDecision =
  /** No Lease yet: create it holding it. */
  | { kind: 'create' }
  /** We hold it: write a fresh renewTime. */
  | { kind: 'renew' }
  /** Nobody holds it, or the holder let it expire: take it over. */
  | { kind: 'acquire' }
  /** Someone else holds it until `until`. */
  | { kind: 'wait'; holder: string; until: Date };

/** When the holder's claim runs out: renewTime (else acquireTime) plus the duration; undefined when it names no time. */
export function expiresAt(lease: LeaseObject): Date | undefined {
  const last = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  const seconds = lease.spec?.leaseDurationSeconds;
  if (!Number.isFinite(last) || typeof seconds !== 'number') return undefined;
  return new Date(last + seconds * 1000);
}

export function decideLease(lease: LeaseObject | undefined, now: Date, me: string): LeaseDecision {
  if (!lease) return { kind: 'create' };
  const holder = lease.spec?.holderIdentity ?? '';
  if (holder === me) return { kind: 'renew' };
  if (holder === '') return { kind: 'acquire' };
  const until = expiresAt(lease);
  // A holder with no readable times never renews in a way we can judge: treat it as expired.
  if (!until || until.getTime() < now.getTime()) return { kind: 'acquire' };
  return { kind: 'wait', holder, until };
}

// Lease times are MicroTime: RFC 3339 with exactly six fractional digits.
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The Lease to write for a decision (create, renew, acquire), keeping the read resourceVersion as the precondition. */
export function leaseToWrite(
  decision: Exclude<LeaseDecision, { kind: 'wait' }>,
  current: LeaseObject | undefined,
  ref: { namespace: string; name: string },
  me: string,
  durationSeconds: number,
  now: Date,
): LeaseObject {
  const t = microTime(now);
  const spec = current?.spec ?? {};
  const taking = decision.kind !== 'renew';
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: current ? { ...current.metadata } : { name: ref.name, namespace: ref.namespace },
    spec: {
      holderIdentity: me,
      leaseDurationSeconds: durationSeconds,
      acquireTime: taking ? t : (spec.acquireTime ?? t),
      renewTime: t,
      // A transition is a change of holder; creating the Lease is none.
      leaseTransitions: (spec.leaseTransitions ?? 0) + (decision.kind === 'acquire' && current ? 1 : 0),
    },
  };
}

/**
 * Giving the Lease up on shutdown (client-go's ReleaseOnCancel): no holder and a one-second
 * duration, so the next replica takes it at its next try instead of after a whole duration.
 */
export function releasedLease(current: LeaseObject, now: Date): LeaseObject {
  const spec = { ...(current.spec ?? {}) };
  delete spec.holderIdentity;
  return { ...current, spec: { ...spec, leaseDurationSeconds: 1, renewTime: microTime(now) } };
}
