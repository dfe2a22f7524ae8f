import { ViolationSeverity, type Violation, type ViolationAction, type ViolationTruncation } from '@fleetdeck/shared';

import { isoTime, isRecord, list, num, str, strMap, type RawObject } from './raw-objects.ts';
import { violationId } from './violation-id.ts';

/** Where a constraint may say how severe it is (Gatekeeper itself has no severity). */
export const SEVERITY_KEYS = ['policy.fleetdeck.dev/severity', 'severity'] as const;

/** What a constraint is for coverage: its kind, name, action and last audit. */
export interface ConstraintInfo {
  kind: string;
  name: string;
  action: ViolationAction;
  auditAt?: string;
}

export interface MappedConstraint {
  constraint?: ConstraintInfo;
  violations: Violation[];
  truncation?: ViolationTruncation;
  /** Why entries (or the whole object) were left out, for the log. */
  dropped: string[];
}

export function gatekeeperAction(v: unknown): ViolationAction {
  return v === 'deny' || v === 'warn' || v === 'dryrun' ? v : 'unknown';
}

function severityOf(obj: RawObject): Violation['severity'] {
  const labels = strMap(obj.metadata?.labels);
  const annotations = strMap(obj.metadata?.annotations);
  for (const key of SEVERITY_KEYS) {
    const raw = (annotations[key] ?? labels[key])?.toLowerCase();
    const parsed = ViolationSeverity.safeParse(raw);
    if (parsed.success) return parsed.data;
  }
  return 'unknown';
}

/**
 * One Gatekeeper constraint (any kind under constraints.gatekeeper.sh) as violations.
 * `status.violations[]` holds at most --constraint-violations-limit entries (20 by
 * default) while `status.totalViolations` is the true count: the gap is reported as a
 * truncation, never hidden. Entries without a kind or name are dropped with a reason.
 */
export function mapConstraint(obj: RawObject, cluster: string): MappedConstraint {
  const kind = str(obj.kind);
  const name = str(obj.metadata?.name);
  if (!kind || !name) return { violations: [], dropped: ['a constraint without kind or name'] };
  const policy = `${kind}/${name}`;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
  // Gatekeeper's default when a constraint names no action.
  const specAction = spec.enforcementAction === undefined ? 'deny' : gatekeeperAction(spec.enforcementAction);
  const auditAt = isoTime(status.auditTimestamp);
  const severity = severityOf(obj);
  const dropped: string[] = [];
  const entries = list(status.violations);
  const violations: Violation[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!isRecord(entry)) {
      dropped.push(`${policy}: violation #${i} is not an object`);
      continue;
    }
    const rKind = str(entry.kind);
    const rName = str(entry.name);
    if (!rKind || !rName) {
      dropped.push(`${policy}: violation #${i} names no resource kind or name`);
      continue;
    }
    const namespace = str(entry.namespace);
    const group = str(entry.group);
    const version = str(entry.version);
    const apiVersion = version ? (group ? `${group}/${version}` : version) : undefined;
    const resource = { ...(apiVersion && { apiVersion }), kind: rKind, ...(namespace && { namespace }), name: rName };
    const action = entry.enforcementAction === undefined ? specAction : gatekeeperAction(entry.enforcementAction);
    violations.push({
      id: violationId('gatekeeper', cluster, policy, undefined, resource),
      engine: 'gatekeeper',
      cluster,
      policy,
      severity,
      action,
      result: action === 'warn' ? 'warn' : 'fail',
      resource,
      message: typeof entry.message === 'string' ? entry.message : '',
      ...(auditAt && { lastSeenAt: auditAt }),
    });
  }
  const total = num(status.totalViolations);
  if (status.totalViolations !== undefined && (total === undefined || total < 0)) dropped.push(`${policy}: totalViolations is not a count`);
  const truncation =
    total !== undefined && total > entries.length ? { cluster, policy, shown: violations.length, total: Math.floor(total) } : undefined;
  return {
    constraint: { kind, name, action: specAction, ...(auditAt && { auditAt }) },
    violations,
    ...(truncation && { truncation }),
    dropped,
  };
}
