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
  options: { capacity?: number; now?: () => Date; events?: KubeEventRecorder } = {},
): AuditSink {
  const log = logger.child({ audit: true });
  const capacity = options.capacity ?? 1000;
  const now = options.now ?? (() => new Date());
  const ring: AuditRecord[] = [];
  return {
    record(entry, object) {
      const full: AuditRecord = { ...entry, at: now().toISOString() };
      log.info(full, `audit ${entry.action} ${entry.target} ${entry.result}`);
      ring.push(full);
      if (ring.length > capacity) ring.shift();
      if (object && options.events) {
        // The log line above is the record of truth; a lost Event is logged, never fatal.
        options.events
          .record(object, entry)
          .catch((err: unknown) => log.warn({ err, object }, 'could not record the audit event on the object'));
      }
    },
    recent(limit) {
      return ring.slice(-limit).reverse();
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
