import { z } from 'zod';

import { IsoTime } from '../model/common.ts';

export const AuditAction = z.enum(['sign-in', 'sign-out', 'approve', 'reject', 'pause', 'resume', 'denied']);
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
  tenant: z.string().optional(),
  result: AuditResult,
  detail: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** GET /api/audit?limit=N */
export const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const AuditList = z.object({ items: z.array(AuditRecord) });
export type AuditList = z.infer<typeof AuditList>;
