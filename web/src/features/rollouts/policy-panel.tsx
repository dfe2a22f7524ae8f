import type { RolloutPolicy } from '@fleetdeck/shared';

import { formatDuration } from '../../components/countdown.tsx';

type Field = Exclude<keyof RolloutPolicy, 'sourceFields'>;

// The brief's policy, each value under its own meaning: "max unavailable" bounds clusters
// that are not ready (Fleet), "max concurrent" clusters updating at once (KubeFleet).
const FIELDS: { key: Field; label: string; show: (v: number | string) => string }[] = [
  { key: 'maxConcurrent', label: 'Max concurrent', show: String },
  { key: 'maxUnavailable', label: 'Max unavailable (not ready)', show: String },
  { key: 'maxUnavailablePartitions', label: 'Max unavailable partitions', show: String },
  { key: 'pauseBetweenWavesSeconds', label: 'Pause between waves', show: (v) => formatDuration(Number(v) * 1000) },
  { key: 'failureThreshold', label: 'Failure threshold', show: (v) => `${v} failed ${v === 1 ? 'cluster' : 'clusters'}` },
  { key: 'successThresholdPodHealthyRatio', label: 'Success threshold (healthy pods)', show: (v) => `${Math.round(Number(v) * 100)}%` },
];

/** The rollout policy, from whichever fields the source has, each with the source field it was read from. */
export function PolicyPanel({ policy }: { policy: RolloutPolicy }) {
  const present = FIELDS.filter((f) => policy[f.key] !== undefined);
  return (
    <section aria-labelledby="policy-title" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="policy-title" className="mb-2 font-semibold">
        Policy
      </h2>
      {present.length === 0 ? (
        <p className="text-sm">The source sets none of the policy fields.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Value</th>
              <th scope="col">Source field</th>
            </tr>
          </thead>
          <tbody>
            {present.map((f) => (
              <tr key={f.key} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1 font-medium">
                  {f.label}
                </th>
                <td>{f.show(policy[f.key]!)}</td>
                <td>{policy.sourceFields[f.key] ? <code className="font-mono text-xs">{policy.sourceFields[f.key]}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
