import type { AuditRecord, Principal, Scope } from '@fleetdeck/shared';

import type { Logger } from '../lib/logger.ts';
import type { KubeEventRecorder, ObjectRef } from './kube-events.ts';

export type { AuditRecord };

export interface AuditSink {
  /** `object`: the Kubernetes object the change was made to; it gets an Event too. */
  record(entry: Omit<AuditRecord, 'at'>, object?: ObjectRef): void;
  /** The newest records first, as far as this replica remembers them. */
  recent(limit: number): AuditRecord[];
}

/**
 * Audit records go to the structured log (`audit: true`, one line each: the durable
 * trail a log pipeline keeps) and to a bounded in-memory ring that GET /api/audit
 * reads. Changes to Kubernetes objects are also recorded as Events on the object by
 * the code that makes them.
 */
export function createAuditLog(
  logger: Logger,
  options: {
    capacity?: number;
    anonymousCapacity?: number;
    anonymousPerMinute?: number;
    now?: () => Date;
    events?: KubeEventRecorder;
  } = {},
): AuditSink {
  const log = logger.child({ audit: true });
  const capacity = options.capacity ?? 1000;
  const now = options.now ?? (() => new Date());
  const ring: AuditRecord[] = [];
  // Anyone can make an anonymous record (a failed sign-in). They live in a ring of their
  // own, at a bounded rate, so nobody can flush signed-in people's records out of view
  // or flood the log.
  const anonymous: AuditRecord[] = [];
  const anonymousCapacity = options.anonymousCapacity ?? 100;
  const perMinute = options.anonymousPerMinute ?? 60;
  let window = { start: 0, count: 0, suppressed: 0 };
  const admitAnonymous = (at: number): boolean => {
    if (at - window.start >= 60_000) {
      if (window.suppressed > 0) log.warn({ suppressed: window.suppressed }, 'anonymous audit records over the rate limit were dropped');
      window = { start: at, count: 0, suppressed: 0 };
    }
    if (window.count >= perMinute) {
      window.suppressed++;
      return false;
    }
    window.count++;
    return true;
  };
  return {
    record(entry, object) {
      const at = now();
      const full: AuditRecord = { ...entry, at: at.toISOString() };
      const isAnonymous = entry.actor === 'anonymous';
      if (isAnonymous && !admitAnonymous(at.getTime())) return;
      log.info(full, `audit ${entry.action} ${entry.target} ${entry.result}`);
      const into = isAnonymous ? anonymous : ring;
      into.push(full);
      if (into.length > (isAnonymous ? anonymousCapacity : capacity)) into.shift();
      if (object && options.events) {
        // The log line above is the record of truth; a lost Event is logged, never fatal.
        options.events
          .record(object, entry)
          .catch((err: unknown) => log.warn({ err, object }, 'could not record the audit event on the object'));
      }
    },
    recent(limit) {
      const newestFirst = (a: AuditRecord, b: AuditRecord) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);
      if (anonymous.length === 0) return ring.slice(-limit).reverse();
      return [...ring.slice(-limit), ...anonymous.slice(-limit)].sort(newestFirst).slice(0, limit);
    },
  };
}

/**
 * Which audit records a person may read: a Platform Admin (a grant over every tenant)
 * reads all; a Tenant Admin reads those about their tenants; everyone reads their own.
 */
export function auditVisibleTo(principal: Pick<Principal, 'user'>, scope: Scope): (record: AuditRecord) => boolean {
  const everything = scope.grants.some((g) => g.role === 'platform-admin' && g.tenants === '*');
  const adminOf = new Set(scope.grants.filter((g) => g.role === 'tenant-admin' && g.tenants !== '*').flatMap((g) => g.tenants as string[]));
  return (r) => everything || r.actor === principal.user || (r.tenant !== undefined && adminOf.has(r.tenant));
}
