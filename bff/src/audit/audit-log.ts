import type { Logger } from '../lib/logger.ts';

export type AuditAction = 'sign-in' | 'sign-out' | 'approve' | 'reject' | 'pause' | 'resume' | 'denied';

/** Who did what to which object, when, with what result. Never tokens or cookies. */
export interface AuditRecord {
  at: string;
  requestId: string;
  actor: string;
  groups: readonly string[];
  action: AuditAction;
  target: string;
  result: 'success' | 'failure' | 'denied' | 'no-op';
  detail?: string;
}

export interface AuditSink {
  record(entry: Omit<AuditRecord, 'at'>): void;
}

/** Audit records go to the structured log with `audit: true`, one line each. */
export function createLogAuditSink(logger: Logger, now: () => Date = () => new Date()): AuditSink {
  const log = logger.child({ audit: true });
  return {
    record(entry) {
      log.info({ ...entry, at: now().toISOString() }, `audit ${entry.action} ${entry.target} ${entry.result}`);
    },
  };
}
