import { createHash } from 'node:crypto';

import { z } from 'zod/mini';

import { IsoTime, RecordedApproval, type AuditRecord } from '@fleetdeck/shared';

import { parseGoDuration } from '../../kubefleet/rollouts/approval-message.ts';
import type { SourceRollout } from '../../rollouts/rollout-source.ts';

/**
 * Fleetdeck's annotations for gated Fleet waves, and the approvals record. Fleet has no
 * approval gate: Fleetdeck holds the clusters of waves not yet approved with Fleet's own
 * `Cluster.spec.paused`, opted in per bundle.
 */

/** On the Bundle: `"true"` gates every partition after the first behind an approval. */
export const GATED_ANNOTATION = 'fleetdeck.dev/gated-waves';
/** On a gated Bundle: a Go duration; a wave is also released this long after the previous one became healthy. */
export const SOAK_ANNOTATION = 'fleetdeck.dev/soak';
/** On a Fleet Cluster Fleetdeck paused: the bundles (`<namespace>/<name>`, comma-separated) it holds it for. */
export const HELD_BY_ANNOTATION = 'fleetdeck.dev/held-by';
/** A soak longer than a week is a typo, not a policy. */
const MAX_SOAK_SECONDS = 7 * 24 * 3600;

export interface Gating {
  gated: boolean;
  soakSeconds?: number;
  /** Why the soak annotation was ignored (shown on the rollout). */
  soakError?: string;
}

export function gatingOf(annotations: Readonly<Record<string, string>>): Gating {
  if (annotations[GATED_ANNOTATION]?.trim().toLowerCase() !== 'true') return { gated: false };
  const raw = annotations[SOAK_ANNOTATION]?.trim();
  if (raw === undefined || raw === '') return { gated: true };
  const seconds = parseGoDuration(raw);
  if (seconds === undefined || seconds <= 0 || seconds > MAX_SOAK_SECONDS) {
    return { gated: true, soakError: `${SOAK_ANNOTATION}: "${raw.slice(0, 40)}" is not a duration between 1s and 168h; soak is off` };
  }
  return { gated: true, soakSeconds: seconds };
}

/** The bundles a cluster is held for, from its held-by annotation. */
export const parseHeldBy = (value: string | undefined): Set<string> =>
  new Set((value ?? '').split(',').flatMap((s) => (s.trim() ? [s.trim()] : [])));
export const formatHeldBy = (holders: ReadonlySet<string>): string => [...holders].sort().join(',');

/**
 * Where a bundle's approvals are kept: an annotation on the owning **GitRepo**, one key
 * per bundle. Fleet's gitjob re-renders and re-applies Bundles from git at every commit,
 * so Bundle metadata we add may be overwritten; the GitRepo is the user's own object,
 * which Fleet only reads (it writes its status), and people approving a Fleet wave may
 * already update it (roll back pins it). A bundle with no GitRepo was applied by hand
 * and nothing re-renders it: its own annotation is used.
 * The key's name part is at most 63 characters: long bundle names are cut and hashed.
 */
export function approvalsKey(bundle: string): string {
  const name = `approvals.${bundle}`;
  if (name.length <= 63) return `fleetdeck.dev/${name}`;
  const hash = createHash('sha256').update(bundle).digest('hex').slice(0, 12);
  return `fleetdeck.dev/approvals.${bundle.slice(0, 40)}-${hash}`;
}

const MAX_APPROVALS_PER_WAVE = 20;
const WaveRecord = z.object({
  approvals: z.array(RecordedApproval).check(z.maxLength(MAX_APPROVALS_PER_WAVE)),
  /** The approver policy was satisfied (the last required approval): the wave's clusters are released. */
  releasedAt: z.optional(IsoTime),
  releasedBy: z.optional(z.string().check(z.maxLength(256))),
});
export type WaveRecord = z.infer<typeof WaveRecord>;
/** Approvals hold for one version: a new commit (or content, without a GitRepo) is held again. */
export const BundleApprovals = z.object({
  revision: z.string().check(z.maxLength(256)),
  waves: z.record(z.string().check(z.maxLength(63)), WaveRecord),
});
export type BundleApprovals = z.infer<typeof BundleApprovals>;

/** The record as read, or undefined when absent or malformed (a malformed record approves nothing). */
export function parseApprovals(value: string | undefined): BundleApprovals | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = BundleApprovals.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The approvals that count for this version: none when they were recorded for another. */
export function currentApprovals(record: BundleApprovals | undefined, revision: string): BundleApprovals {
  return record && record.revision === revision ? record : { revision, waves: {} };
}

/** What a bundle's approvals are for: Fleet's commit label, else the content digest. */
export const approvalRevision = (b: { commit?: string; contentDigest?: string }): string =>
  b.commit ?? `content-${b.contentDigest ?? 'unknown'}`;

/**
 * The audit record of a wave released by soak time: done by Fleetdeck on behalf of the
 * rule (no person acted), with the rule in `detail`. The caller records it in its audit log.
 */
export function soakReleaseAudit(
  rollout: Pick<SourceRollout, 'id' | 'tenant' | 'annotations'>,
  wave: string,
  requestId: string,
): Omit<AuditRecord, 'at'> {
  return {
    requestId,
    actor: 'fleetdeck',
    groups: [],
    action: 'approve',
    target: `${rollout.id}/waves/${wave}`,
    ...(rollout.tenant && { tenant: rollout.tenant }),
    result: 'success',
    detail: `released by soak time (${SOAK_ANNOTATION}: ${rollout.annotations?.[SOAK_ANNOTATION] ?? '?'}) after the previous wave became healthy, on behalf of the rule`,
  };
}
