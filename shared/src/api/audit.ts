import { z } from 'zod/mini';

import { IsoTime } from '../model/common.ts';

export const AuditAction = z.enum([
  'sign-in',
  'sign-out',
  'approve',
  'reject',
  'pause',
  'resume',
  'abort',
  'rollback',
  'unpin',
  'denied',
  'force-update',
  'sync',
  'refresh',
  'bulk-sync',
]);
export const AuditResult = z.enum(['success', 'failure', 'denied', 'no-op']);

/** Who did what to which object, when, with what result. Never tokens or cookies. */
export const AuditRecord = z.object({
  at: IsoTime,
  requestId: z.string(),
  actor: z.string(),
  groups: z.array(z.string()),
  action: AuditAction,
  target: z.string(),
  /** The tenant the target belongs to, when it belongs to one. */
  tenant: z.optional(z.string()),
  result: AuditResult,
  detail: z.optional(z.string()),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** GET /api/audit?limit=N */
export const AuditQuery = z.strictObject({ limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100) });
export const AuditList = z.object({ items: z.array(AuditRecord) });
export type AuditList = z.infer<typeof AuditList>;
