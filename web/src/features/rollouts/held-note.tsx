import type { Wave } from '@fleetdeck/shared';
import { CirclePause } from 'lucide-react';

/** What Fleetdeck holding a Fleet wave means: the plain sentence, with the other bundles held by the same pause. */
export function heldText(held: NonNullable<Wave['held']>): string {
  const clusters = `${held.clusters} ${held.clusters === 1 ? 'cluster' : 'clusters'}`;
  const also = held.otherBundles.length > 0 ? `; also held: ${held.otherBundles.join(', ')}` : '';
  return `Held by Fleetdeck: ${clusters} paused — a paused cluster holds every bundle on it and stops drift correction${also}`;
}

export function HeldNote({ held }: { held: NonNullable<Wave['held']> }) {
  const text = heldText(held);
  return (
    <div
      data-testid="wave-held"
      className="rounded border border-violet-500 bg-violet-50 px-2 py-1.5 text-xs text-violet-950 dark:bg-violet-950 dark:text-violet-50"
    >
      <p className="flex items-start gap-1">
        <CirclePause aria-hidden className="mt-0.5 size-3.5 shrink-0" />
        <span>{text}</span>
      </p>
      {held.note && !text.includes(held.note) && <p className="mt-0.5">{held.note}</p>}
    </div>
  );
}
