import { useEffect, useRef } from 'react';

import type { Wave } from '@fleetdeck/shared';

import { WaveColumn } from './wave-column.tsx';

/**
 * The waves as columns, in rollout order, the current one marked; scrolls sideways when
 * they do not fit, keeping the current wave in view as the rollout moves (a wall screen
 * has nobody to scroll it), without ever scrolling the page itself.
 */
export function WaveTimeline({ waves, currentWave }: { waves: readonly Wave[]; currentWave: string | undefined }) {
  const ordered = [...waves].sort((a, b) => a.index - b.index);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const ol = list.current;
    const current = ol?.querySelector<HTMLElement>('[aria-current="step"]');
    if (!ol || !current) return;
    // The list is the columns' offset parent, so this is in its scrolled content's coordinates.
    const left = current.offsetLeft;
    if (left < ol.scrollLeft || left + current.offsetWidth > ol.scrollLeft + ol.clientWidth) ol.scrollLeft = Math.max(0, left - 16);
  }, [currentWave]);
  return (
    <section aria-labelledby="waves-title" className="space-y-2">
      <h2 id="waves-title" className="font-semibold">
        Waves
      </h2>
      {ordered.length === 0 ? (
        <p className="text-sm">This rollout has no waves yet.</p>
      ) : (
        <ol ref={list} aria-label="Waves in order" tabIndex={0} className="relative flex items-start gap-3 overflow-x-auto pb-2">
          {ordered.map((w) => (
            <WaveColumn key={w.name} wave={w} current={w.name === currentWave} />
          ))}
        </ol>
      )}
    </section>
  );
}
