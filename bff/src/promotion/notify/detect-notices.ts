import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import type { PromotionNotice } from '../contracts.ts';

/**
 * The notices one rollout change calls for (pure): a gate starts waiting for an approval
 * (`waveWaiting`), a wave becomes Failed (`waveFailed`), the rollout becomes Succeeded
 * (`rolloutCompleted`). The failure threshold and roll backs are the failure guard's.
 *
 * A rollout first seen (`before` undefined) is new since the watch's first list, so a gate
 * it already waits at is news; its finished states are not (a run that appears already
 * finished — a late list after a watch outage — would otherwise be announced again).
 * Texts name the rollout and the wave, never a cluster: the notifier sends them to tenants.
 */

/** What makes one occurrence: a run recreated under the same name is another occurrence. */
function occurrence(r: SourceRollout): string {
  return `${r.id}|${r.createdAt ?? ''}|${r.revision ?? ''}`;
}

function waiting(before: SourceRollout | undefined, after: SourceRollout): PromotionNotice | undefined {
  const gate = after.awaitingApproval;
  if (!gate) return undefined;
  const was = before?.awaitingApproval;
  if (was && was.wave === gate.wave && was.position === gate.position && before.revision === after.revision) return undefined;
  const text =
    gate.position === 'after'
      ? `Rollout ${after.name}: wave ${gate.wave} finished and is waiting for approval to promote.`
      : `Rollout ${after.name}: wave ${gate.wave} is waiting for approval to start.`;
  return {
    kind: 'waveWaiting',
    dedupeKey: `waveWaiting|${occurrence(after)}|${gate.wave}|${gate.position}`,
    rollout: after,
    wave: gate.wave,
    text,
  };
}

function failedWaves(before: SourceRollout | undefined, after: SourceRollout): PromotionNotice[] {
  if (!before) return [];
  const wasFailed = new Set(before.waves.filter((w) => w.state === 'Failed').map((w) => w.name));
  return after.waves
    .filter((w) => w.state === 'Failed' && !wasFailed.has(w.name))
    .map((w) => ({
      kind: 'waveFailed' as const,
      dedupeKey: `waveFailed|${occurrence(after)}|${w.name}`,
      rollout: after,
      wave: w.name,
      text: `Rollout ${after.name}: wave ${w.name} failed (${w.progress.failed} of ${w.progress.total} clusters failed).`,
    }));
}

function completed(before: SourceRollout | undefined, after: SourceRollout): PromotionNotice | undefined {
  if (!before || before.state === 'Succeeded' || after.state !== 'Succeeded') return undefined;
  return {
    kind: 'rolloutCompleted',
    dedupeKey: `rolloutCompleted|${occurrence(after)}`,
    rollout: after,
    text: `Rollout ${after.name} completed: ${after.progress.succeeded} of ${after.progress.total} clusters updated.`,
  };
}

export function detectNotices(before: SourceRollout | undefined, after: SourceRollout | undefined): PromotionNotice[] {
  if (!after) return [];
  const out: PromotionNotice[] = [];
  const w = waiting(before, after);
  if (w) out.push(w);
  out.push(...failedWaves(before, after));
  const c = completed(before, after);
  if (c) out.push(c);
  return out;
}
