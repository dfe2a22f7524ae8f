import type { RolloutProgress } from '@fleetdeck/shared';

/** Clusters done out of all, as a bar and as text; failures are counted in the text and tint the bar. */
export function ProgressBar({ progress, label }: { progress: RolloutProgress; label: string }) {
  const { total, succeeded, failed, updating } = progress;
  const pct = total === 0 ? 0 : Math.round((succeeded / total) * 100);
  const text = `${succeeded} / ${total} clusters done${failed > 0 ? `, ${failed} failed` : ''}${updating > 0 ? `, ${updating} updating` : ''}`;
  return (
    <div className="min-w-32">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={succeeded}
        aria-valuetext={text}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div className={`h-full ${failed > 0 ? 'bg-red-600' : 'bg-teal-600'}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-0.5 text-xs tabular-nums text-slate-700 dark:text-slate-300">{text}</p>
    </div>
  );
}
