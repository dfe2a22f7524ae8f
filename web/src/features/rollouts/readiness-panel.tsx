import type { Rollout } from '@fleetdeck/shared';
import { AlertTriangle } from 'lucide-react';
import { useId } from 'react';

import { ApiError } from '../../api/client.ts';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import { ReadinessView } from './readiness-view.tsx';
import { useReadiness } from './use-readiness.ts';

/** Waves one may ask about: those that started (finished, failed, running or at a gate). */
export function judgeableWaves(rollout: Rollout): string[] {
  return rollout.waves
    .filter((w) => w.state !== 'NotStarted' || w.startedAt !== undefined || w.gates.some((g) => g.state === 'Waiting'))
    .map((w) => w.name);
}

/**
 * Promotion readiness beside the approval: the waiting wave's by default, any started
 * wave's on demand (the choice lives in the URL, so the view can be shared). Re-evaluated
 * every 30 s and whenever a live event says the rollout changed.
 */
export function ReadinessPanel({
  rollout,
  wave,
  onPickWave,
}: {
  rollout: Rollout;
  wave: string | undefined;
  onPickWave: (wave: string) => void;
}) {
  const ids = useId();
  const readiness = useReadiness(rollout.id, wave);
  const waves = judgeableWaves(rollout);
  if (waves.length === 0 && wave === undefined) return null;
  const notFound = readiness.error instanceof ApiError && readiness.error.status === 404 ? readiness.error : undefined;
  return (
    <section
      aria-labelledby={`${ids}-title`}
      className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      data-testid="readiness-panel"
    >
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h2 id={`${ids}-title`} className="font-semibold">
          Promotion readiness{wave ? ` of wave ${wave}` : ''}
        </h2>
        <label className="flex items-center gap-1 text-sm">
          <span>Wave</span>
          <select
            value={wave ?? ''}
            onChange={(e) => onPickWave(e.target.value)}
            className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {wave === undefined && <option value="">Choose a wave…</option>}
            {[...new Set([...waves, ...(wave ? [wave] : [])])].map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      </div>
      {wave === undefined && <p className="text-sm">Choose a wave to see whether it is safe to promote from.</p>}
      {wave !== undefined && readiness.isPending && <Loading label="Evaluating readiness…" />}
      {notFound && (
        <p className="text-sm">
          Readiness is not available for wave {wave}: {notFound.message}
        </p>
      )}
      {readiness.isError && !notFound && !readiness.data && (
        <ErrorPanel title="Readiness could not be evaluated" error={readiness.error} onRetry={() => void readiness.refetch()} />
      )}
      {readiness.data && (
        <>
          {readiness.isError && (
            <p role="status" className="mb-2 flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
              <AlertTriangle aria-hidden className="size-4" />
              Could not re-evaluate ({readiness.error.message}); showing the last evaluation.
            </p>
          )}
          <ReadinessView readiness={readiness.data} />
        </>
      )}
    </section>
  );
}
