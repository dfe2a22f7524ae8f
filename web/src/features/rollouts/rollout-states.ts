import type { ClusterRolloutState, GateState, RolloutState, WaveState } from '@fleetdeck/shared';
import {
  CircleCheck,
  CircleDashed,
  CircleHelp,
  CirclePause,
  CircleX,
  Hand,
  Hourglass,
  Loader,
  SkipForward,
  type LucideIcon,
} from 'lucide-react';

/** What a state means to an operator; each tone has one colour everywhere in this area. */
export type Tone = 'done' | 'failed' | 'moving' | 'needsYou' | 'waiting' | 'idle' | 'unknown';

export interface StateLook {
  text: string;
  icon: LucideIcon;
  tone: Tone;
}

/** Text colour per tone (AA contrast on the page background, light and dark). */
export const TONE_TEXT: Record<Tone, string> = {
  done: 'text-emerald-800 dark:text-emerald-300',
  failed: 'text-red-800 dark:text-red-300',
  moving: 'text-sky-800 dark:text-sky-300',
  needsYou: 'text-amber-900 dark:text-amber-200',
  waiting: 'text-violet-800 dark:text-violet-300',
  idle: 'text-slate-700 dark:text-slate-300',
  unknown: 'text-orange-900 dark:text-orange-200',
};

/** A filled cell per tone (the timeline's clusters): tinted background, strong border, dark text. */
export const TONE_CELL: Record<Tone, string> = {
  done: 'border-emerald-600 bg-emerald-50 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50',
  failed: 'border-red-600 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50',
  moving: 'border-sky-600 bg-sky-50 text-sky-950 dark:bg-sky-950 dark:text-sky-50',
  needsYou: 'border-amber-500 bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-50',
  waiting: 'border-violet-500 bg-violet-50 text-violet-950 dark:bg-violet-950 dark:text-violet-50',
  idle: 'border-slate-300 bg-white text-slate-800 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100',
  unknown: 'border-orange-500 bg-orange-50 text-orange-950 dark:bg-orange-950 dark:text-orange-50',
};

export const ROLLOUT_STATE: Record<RolloutState, StateLook> = {
  Initializing: { text: 'Initializing', icon: CircleDashed, tone: 'idle' },
  Progressing: { text: 'Progressing', icon: Loader, tone: 'moving' },
  AwaitingApproval: { text: 'Awaiting approval', icon: Hand, tone: 'needsYou' },
  Waiting: { text: 'Waiting', icon: Hourglass, tone: 'waiting' },
  Stopped: { text: 'Stopped', icon: CirclePause, tone: 'idle' },
  Succeeded: { text: 'Succeeded', icon: CircleCheck, tone: 'done' },
  Failed: { text: 'Failed', icon: CircleX, tone: 'failed' },
  Unknown: { text: 'Unknown', icon: CircleHelp, tone: 'unknown' },
};

export const WAVE_STATE: Record<WaveState, StateLook> = {
  NotStarted: { text: 'Not started', icon: CircleDashed, tone: 'idle' },
  Progressing: { text: 'Progressing', icon: Loader, tone: 'moving' },
  AwaitingApproval: { text: 'Awaiting approval', icon: Hand, tone: 'needsYou' },
  Waiting: { text: 'Waiting', icon: Hourglass, tone: 'waiting' },
  Held: { text: 'Held', icon: CirclePause, tone: 'waiting' },
  Succeeded: { text: 'Succeeded', icon: CircleCheck, tone: 'done' },
  Failed: { text: 'Failed', icon: CircleX, tone: 'failed' },
  Stopped: { text: 'Stopped', icon: CirclePause, tone: 'idle' },
  Unknown: { text: 'Unknown', icon: CircleHelp, tone: 'unknown' },
};

export const CLUSTER_STATE: Record<ClusterRolloutState, StateLook> = {
  Pending: { text: 'Pending', icon: CircleDashed, tone: 'idle' },
  Held: { text: 'Held', icon: CirclePause, tone: 'waiting' },
  Updating: { text: 'Updating', icon: Loader, tone: 'moving' },
  Succeeded: { text: 'Succeeded', icon: CircleCheck, tone: 'done' },
  Failed: { text: 'Failed', icon: CircleX, tone: 'failed' },
  Skipped: { text: 'Skipped', icon: SkipForward, tone: 'idle' },
  Unknown: { text: 'Unknown', icon: CircleHelp, tone: 'unknown' },
};

export const GATE_STATE: Record<GateState, StateLook> = {
  NotStarted: { text: 'Not reached', icon: CircleDashed, tone: 'idle' },
  Waiting: { text: 'Waiting', icon: Hourglass, tone: 'needsYou' },
  Approved: { text: 'Approved', icon: CircleCheck, tone: 'done' },
  Elapsed: { text: 'Elapsed', icon: CircleCheck, tone: 'done' },
  Unknown: { text: 'Unknown', icon: CircleHelp, tone: 'unknown' },
};
