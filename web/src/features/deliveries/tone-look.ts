import type { DeliveryTone } from '@fleetdeck/shared';
import { CircleCheck, CircleHelp, CirclePause, CircleX, Loader, TriangleAlert, type LucideIcon } from 'lucide-react';

export interface ToneLook {
  /** The tone in words, for the filter chips and screen readers. */
  name: string;
  icon: LucideIcon;
  /** Text colour with AA contrast on the page background, light and dark. */
  text: string;
  /** A chip's resting look. */
  chip: string;
}

/** One look per tone everywhere in this area: icon and text as well as colour, so it reads without colour vision. */
export const TONE: Record<DeliveryTone, ToneLook> = {
  error: {
    name: 'Failing',
    icon: CircleX,
    text: 'text-red-800 dark:text-red-300',
    chip: 'border-red-600 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50',
  },
  warning: {
    name: 'Out of sync',
    icon: TriangleAlert,
    text: 'text-amber-900 dark:text-amber-200',
    chip: 'border-amber-500 bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-50',
  },
  progressing: {
    name: 'Progressing',
    icon: Loader,
    text: 'text-sky-800 dark:text-sky-300',
    chip: 'border-sky-600 bg-sky-50 text-sky-950 dark:bg-sky-950 dark:text-sky-50',
  },
  paused: {
    name: 'Paused',
    icon: CirclePause,
    text: 'text-violet-800 dark:text-violet-300',
    chip: 'border-violet-600 bg-violet-50 text-violet-950 dark:bg-violet-950 dark:text-violet-50',
  },
  unknown: {
    name: 'Unknown',
    icon: CircleHelp,
    text: 'text-orange-900 dark:text-orange-200',
    chip: 'border-orange-500 bg-orange-50 text-orange-950 dark:bg-orange-950 dark:text-orange-50',
  },
  ok: {
    name: 'Healthy',
    icon: CircleCheck,
    text: 'text-emerald-800 dark:text-emerald-300',
    chip: 'border-emerald-600 bg-emerald-50 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50',
  },
};

/** The tones worst first, as the chips show them. */
export const TONE_ORDER: readonly DeliveryTone[] = ['error', 'warning', 'progressing', 'paused', 'unknown', 'ok'];
