import type {
  CheckStatus,
  ClusterCheckValue,
  Evidence,
  IntroducedViolation,
  PartialError,
  ReadinessCheckResult,
  ReadinessCheckSpec,
  Wave,
  WaveReadiness,
} from '@fleetdeck/shared';

import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import { readinessDigest } from './digest.ts';
import { healthEvidence, logsEvidence, rolloutEvidence, violationsEvidence, type EvidenceWindow } from './evidence.ts';
import type { WaveFigures } from './figures.ts';
import type { IntroducedFindings } from './introduced-violations.ts';
import { failedCount, isReached, measure, type Limits, type Measured, type Measurement } from './measure.ts';
import { summaryOf } from './summaries.ts';

/** What one person may see of the wave's clusters. Absent: the BFF's own, unscoped view. */
export interface ViewerReach {
  visible(cluster: string): boolean;
  /** They see the whole cluster (not only some namespaces): its cluster-wide figures may be shown. */
  whole(cluster: string): boolean;
  /** A violation in `namespace` (undefined: cluster-scoped) of `cluster` is theirs to see. */
  sees(cluster: string, namespace: string | undefined): boolean;
}

export interface EvaluateInput {
  rollout: Pick<SourceRollout, 'id' | 'policy'>;
  /** The wave asked about, and the wave whose results decide it (subject.ts). */
  wave: string;
  subject: Wave;
  window: EvidenceWindow;
  now: Date;
  checks: readonly ReadinessCheckSpec[];
  limits: Omit<Limits, 'failureThreshold' | 'windowSeconds'>;
  figures: WaveFigures;
  introduced: IntroducedFindings;
  viewer?: ViewerReach;
}

const UNSCOPED: ViewerReach = { visible: () => true, whole: () => true, sees: () => true };
const MAX_CLUSTERS = 200;
const MAX_EVIDENCE_CLUSTERS = 5;
const MAX_VIOLATIONS = 50;
const RANK: Record<CheckStatus, number> = { fail: 0, unknown: 1, pass: 2 };

function checkStatus(m: Measurement): CheckStatus {
  if (m.perCluster.some((c) => c.status === 'fail')) return 'fail';
  if (m.error !== undefined || m.perCluster.some((c) => c.status === 'unknown')) return 'unknown';
  return 'pass';
}

function evidenceFor(spec: ReadinessCheckSpec, failing: readonly Measured[], rolloutId: string, w: EvidenceWindow): Evidence[] {
  const some = failing.slice(0, MAX_EVIDENCE_CLUSTERS).map((c) => c.cluster);
  switch (spec.kind) {
    case 'rolloutResult':
    case 'failureThreshold':
      return [rolloutEvidence(rolloutId), ...some.map((c) => logsEvidence(c, w))];
    case 'violationsIntroduced':
      return some.map(violationsEvidence);
    case 'errorRate':
      return some.flatMap((c) => [healthEvidence(c, w), logsEvidence(c, w)]);
    default:
      return some.map((c) => healthEvidence(c, w));
  }
}

/** One check as this viewer sees it: visible clusters named (worst first), hidden failures only counted. */
function resultFor(spec: ReadinessCheckSpec, m: Measurement, input: EvaluateInput, viewer: ViewerReach): ReadinessCheckResult {
  const shown: Measured[] = [];
  let hiddenFailing = 0;
  for (const c of m.perCluster) {
    if (viewer.visible(c.cluster)) shown.push(c.value !== undefined && !viewer.whole(c.cluster) ? { ...c, value: undefined } : c);
    else if (c.status === 'fail') hiddenFailing++;
  }
  shown.sort((a, b) => RANK[a.status] - RANK[b.status] || (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const status = checkStatus(m);
  const clusters: ClusterCheckValue[] = shown
    .slice(0, MAX_CLUSTERS)
    .map((c) => ({ cluster: c.cluster, status: c.status, ...(c.value !== undefined && { value: c.value }) }));
  const failing = shown.filter((c) => c.status === 'fail');
  return {
    id: spec.id,
    title: spec.title,
    kind: spec.kind,
    severity: spec.severity,
    status,
    summary: summaryOf(spec, m, { status, shown, hiddenFailing, total: m.perCluster.length }),
    ...(m.threshold !== undefined && { threshold: m.threshold }),
    clusters,
    hiddenFailing,
    evidence: evidenceFor(spec, failing, input.rollout.id, input.window),
  };
}

function introducedItems(found: IntroducedFindings, viewer: ViewerReach): IntroducedViolation[] {
  const out: IntroducedViolation[] = [];
  for (const list of found.byCluster.values()) {
    for (const v of list) {
      if (!viewer.visible(v.cluster) || !viewer.sees(v.cluster, v.resource.namespace)) continue;
      out.push({
        id: v.id,
        cluster: v.cluster,
        ...(v.resource.namespace !== undefined && { namespace: v.resource.namespace }),
        policy: v.policy,
        severity: v.severity,
        message: v.message,
        ...(v.firstSeenAt !== undefined && { firstSeenAt: v.firstSeenAt }),
      });
    }
  }
  return out.sort((a, b) =>
    a.cluster === b.cluster ? (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0) : a.cluster < b.cluster ? -1 : 1,
  );
}

/**
 * The readiness of a wave, pure: from the rollout's state and the measured figures to the
 * verdict. Every check is measured over all the wave's clusters, so the verdict is the
 * same for every viewer; `viewer` only decides what is named (visible clusters) and what
 * is counted (hidden failures), and hides cluster-wide values from namespace-limited people.
 */
export function evaluateReadiness(input: EvaluateInput): WaveReadiness {
  const viewer = input.viewer ?? UNSCOPED;
  const { subject, now } = input;
  const threshold = input.rollout.policy.failureThreshold;
  const successThreshold = input.rollout.policy.successThresholdPodHealthyRatio ?? input.limits.successThreshold;
  const windowSeconds = Math.max(0, (input.window.end.getTime() - (input.window.start?.getTime() ?? input.window.end.getTime())) / 1000);
  const limits: Limits = { ...input.limits, successThreshold, failureThreshold: threshold, windowSeconds };
  const errors: PartialError[] = [];
  const checks = input.checks.map((spec) => {
    const m = measure(spec, subject, input.figures, input.introduced, limits);
    if (m.error !== undefined) errors.push({ source: `readiness/${spec.id}`, reason: m.error });
    return resultFor(spec, m, input, viewer);
  });
  const blocking = checks.filter((c) => c.severity === 'blocking');
  const verdict = blocking.some((c) => c.status === 'fail')
    ? 'NotReady'
    : blocking.some((c) => c.status === 'unknown')
      ? 'Unknown'
      : 'Ready';
  const ofWave = subject.name === input.wave ? '' : ` (wave ${subject.name})`;
  const reasons = blocking.filter((c) => c.status === 'fail').map((c) => `${c.title}${ofWave}: ${c.summary}`);
  const items = introducedItems(input.introduced, viewer);
  const hiddenClusters = subject.clusters.filter((c) => !viewer.visible(c.cluster)).length;
  return {
    rolloutId: input.rollout.id,
    wave: input.wave,
    verdict,
    reasons,
    checks,
    ...(input.window.start && { windowStart: input.window.start.toISOString() }),
    windowEnd: input.window.end.toISOString(),
    evaluatedAt: now.toISOString(),
    failureThreshold: {
      ...(threshold !== undefined && { threshold }),
      failed: failedCount(subject),
      reached: isReached(subject, threshold),
    },
    successThreshold,
    introducedViolations: { total: items.length, items: items.slice(0, MAX_VIOLATIONS) },
    hiddenClusters,
    digest: readinessDigest(verdict, reasons, checks),
    errors,
  };
}
