import { z } from 'zod/mini';

import { APPROVALS_ANNOTATION, RecordedApproval } from '@fleetdeck/shared';

/**
 * The `fleetdeck.dev/approvals` annotation on an approval request: the partial approvals
 * the approver policy has counted (a JSON list of RecordedApproval, oldest first). Anyone who
 * may edit the request may write it, so it is read defensively: too large or not the
 * expected shape → ignored (no approvals counted) with a reason, never a crash.
 */
export { APPROVALS_ANNOTATION };

/** Far above what 10 approvers with comments, reasons and snapshots take; far below the 256 KiB annotation limit. */
export const MAX_APPROVALS_ANNOTATION = 64 * 1024;
const MAX_ENTRIES = 50;

const List = z.array(RecordedApproval).check(z.maxLength(MAX_ENTRIES));

export interface ReadApprovals {
  approvals: RecordedApproval[];
  /** Why the annotation was ignored, when it was. */
  error?: string;
}

export function readRecordedApprovals(annotations: Readonly<Record<string, unknown>> | undefined): ReadApprovals {
  const text = annotations?.[APPROVALS_ANNOTATION];
  if (text === undefined) return { approvals: [] };
  if (typeof text !== 'string') return { approvals: [], error: `${APPROVALS_ANNOTATION} is not a string` };
  if (text.length > MAX_APPROVALS_ANNOTATION)
    return { approvals: [], error: `${APPROVALS_ANNOTATION} is larger than ${MAX_APPROVALS_ANNOTATION} characters: ignored` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { approvals: [], error: `${APPROVALS_ANNOTATION} is not JSON: ignored` };
  }
  const parsed = List.safeParse(json);
  if (!parsed.success) return { approvals: [], error: `${APPROVALS_ANNOTATION} is not a list of approvals: ignored` };
  return { approvals: parsed.data };
}

/** The annotation's value after one more approval. */
export function writeRecordedApprovals(approvals: readonly RecordedApproval[]): string {
  return JSON.stringify(approvals);
}
