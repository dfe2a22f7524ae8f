import type { Evidence, ReadinessCheckResult, WaveReadiness } from '@fleetdeck/shared';

export interface ReasonWithEvidence {
  reason: string;
  evidence: Evidence[];
}

const blocksNow = (c: ReadinessCheckResult) => c.severity === 'blocking' && c.status !== 'pass';

/**
 * Each reason with the evidence of the check it stands for. The BFF writes one reason per
 * failing blocking check, in the checks' order; when the counts differ (a reason not tied
 * to one check), a reason is matched to the check whose summary or title it quotes.
 */
export function reasonsWithEvidence(readiness: Pick<WaveReadiness, 'reasons' | 'checks'>): ReasonWithEvidence[] {
  const blocking = readiness.checks.filter(blocksNow);
  if (blocking.length === readiness.reasons.length) {
    return readiness.reasons.map((reason, i) => ({ reason, evidence: blocking[i]!.evidence }));
  }
  return readiness.reasons.map((reason) => {
    const text = reason.toLowerCase();
    const check = readiness.checks.find((c) => text.includes(c.summary.toLowerCase()) || text.includes(c.title.toLowerCase()));
    return { reason, evidence: check?.evidence ?? [] };
  });
}

/** "Halts at 1 failed cluster; 1 cluster failed: reached, the rollout halts." and the like. */
export function failureThresholdText({ threshold, failed, reached }: WaveReadiness['failureThreshold']): string {
  const clusters = (n: number) => `${n} ${n === 1 ? 'cluster' : 'clusters'}`;
  if (threshold === undefined) return `No failure threshold set; ${clusters(failed)} failed in this wave.`;
  const head = `Halts at ${clusters(threshold)} failed; ${clusters(failed)} failed in this wave`;
  return reached ? `${head}: reached, the rollout halts.` : `${head}: not reached.`;
}
