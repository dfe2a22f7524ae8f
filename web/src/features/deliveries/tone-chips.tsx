import type { DeliveryTone } from '@fleetdeck/shared';

import { TONE, TONE_ORDER } from './tone-look.ts';

/** Deliveries under the other filters by tone; pressing one filters to it, pressing it again clears it. */
export function ToneChips({
  byTone,
  value,
  onChange,
}: {
  byTone: Readonly<Record<string, number>>;
  value: DeliveryTone | undefined;
  onChange: (tone: DeliveryTone | undefined) => void;
}) {
  return (
    <div role="group" aria-label="Filter by state" className="flex flex-wrap gap-2">
      {TONE_ORDER.map((tone) => {
        const look = TONE[tone];
        const n = byTone[tone] ?? 0;
        const on = value === tone;
        const Icon = look.icon;
        if (n === 0 && !on) return null;
        return (
          <button
            key={tone}
            type="button"
            aria-pressed={on}
            data-testid="tone-chip"
            data-tone={tone}
            onClick={() => onChange(on ? undefined : tone)}
            className={`inline-flex items-center gap-1 rounded-full border px-2.5 py-0.5 text-sm ${look.chip} ${on ? 'font-semibold ring-2 ring-teal-700 ring-offset-1 dark:ring-teal-300 dark:ring-offset-slate-950' : ''}`}
          >
            <Icon aria-hidden className="size-4" />
            {look.name} <span className="tabular-nums">{n.toLocaleString('en')}</span>
          </button>
        );
      })}
    </div>
  );
}
