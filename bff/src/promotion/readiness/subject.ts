import type { Wave } from '@fleetdeck/shared';

import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';

const NOT_STARTED = new Set(['Pending', 'Held', 'Unknown']);

/** Whether any of a wave's clusters began updating (or the source says when the wave started). */
export function waveStarted(w: Wave): boolean {
  return w.startedAt !== undefined || w.clusters.some((c) => !NOT_STARTED.has(c.state));
}

/**
 * The wave whose results decide whether `wave` may go ahead: the wave itself once it has
 * started (an `after` gate: it just finished), else the nearest earlier wave that started
 * (a `before` gate: the wave that just finished is the one before it). A first wave that
 * has not started is its own subject. Undefined: the rollout has no such wave.
 */
export function subjectWave(r: Pick<SourceRollout, 'waves'>, wave: string): Wave | undefined {
  const i = r.waves.findIndex((w) => w.name === wave);
  if (i < 0) return undefined;
  const own = r.waves[i]!;
  if (waveStarted(own)) return own;
  for (let j = i - 1; j >= 0; j--) if (waveStarted(r.waves[j]!)) return r.waves[j];
  return own;
}

/** When the wave started: the source's time, else its earliest cluster start. */
export function waveStart(w: Wave): Date | undefined {
  let ms = w.startedAt ? Date.parse(w.startedAt) : Number.NaN;
  if (!Number.isFinite(ms)) {
    for (const c of w.clusters) {
      const t = c.startedAt ? Date.parse(c.startedAt) : Number.NaN;
      if (Number.isFinite(t) && !(ms <= t)) ms = t;
    }
  }
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
