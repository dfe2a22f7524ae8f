/**
 * KubeFleet records no approver: Fleetdeck writes the person (and their comment) into
 * the Approved condition's message, in one format it can read back.
 */
export const APPROVED_REASON = 'ApprovedViaFleetdeck';
/** The CRD's pattern for a condition reason. */
export const REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
/** The CRD caps a condition message at 32768; a comment is bounded far lower by the route. */
export const MAX_MESSAGE = 1024;

export function approvalMessage(user: string, comment: string | undefined): string {
  const text = comment?.trim();
  return `Approved by ${user} via Fleetdeck${text ? `: ${text}` : ''}`.slice(0, MAX_MESSAGE);
}

const FORMAT = /^Approved by (.+?) via Fleetdeck(?:: ([\s\S]*))?$/;

/** Who approved and their comment, when Fleetdeck wrote the condition; undefined otherwise. */
export function parseApprovalMessage(
  reason: string | undefined,
  message: string | undefined,
): { approvedBy: string; comment?: string } | undefined {
  if (reason !== APPROVED_REASON || !message) return undefined;
  const m = FORMAT.exec(message);
  if (!m?.[1]) return undefined;
  return { approvedBy: m[1], ...(m[2] && { comment: m[2] }) };
}

/**
 * Seconds of a Go duration string as KubeFleet's waitTime uses them ("1h", "30m", "90s",
 * "1h30m", "1.5h", "500ms"); undefined for anything else (never a throw).
 */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}
