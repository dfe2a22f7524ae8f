import type { CheckStatus, ReadinessSeverity, ReadinessVerdict } from '@fleetdeck/shared';
import { CircleCheck, CircleHelp, CircleX, Info, ShieldAlert, type LucideIcon } from 'lucide-react';

import type { StateLook } from './rollout-states.ts';

/** A verdict by text and icon as well as colour (the tones of rollout-states.ts). */
export const VERDICT: Record<ReadinessVerdict, StateLook> = {
  Ready: { text: 'Ready', icon: CircleCheck, tone: 'done' },
  NotReady: { text: 'Not ready', icon: CircleX, tone: 'failed' },
  Unknown: { text: 'Readiness unknown', icon: CircleHelp, tone: 'unknown' },
};

export const CHECK_STATUS: Record<CheckStatus, StateLook> = {
  pass: { text: 'Pass', icon: CircleCheck, tone: 'done' },
  fail: { text: 'Fail', icon: CircleX, tone: 'failed' },
  unknown: { text: 'No data', icon: CircleHelp, tone: 'unknown' },
};

/** An advisory check that fails is shown as a warning, never as a block. */
export const ADVISORY_FAIL: StateLook = { text: 'Warning', icon: CircleX, tone: 'needsYou' };

export const SEVERITY: Record<ReadinessSeverity, { text: string; icon: LucideIcon; hint: string }> = {
  blocking: { text: 'Blocking', icon: ShieldAlert, hint: 'A failure makes the wave not ready.' },
  advisory: { text: 'Advisory', icon: Info, hint: 'Shown for information; never blocks.' },
};

/** The sentence a verdict reads as: "Ready", "Not ready, because …". */
export function verdictSentence(verdict: ReadinessVerdict, reasons: readonly string[]): string {
  if (verdict === 'Ready') return 'Ready';
  const head = verdict === 'NotReady' ? 'Not ready' : 'Readiness unknown';
  // Reasons are sentences of their own: their full stops would double up inside this one.
  return reasons.length > 0 ? `${head}, because ${reasons.map((r) => r.replace(/[.\s]+$/, '')).join('; ')}` : head;
}
