import type { CheckStatus, ReadinessCheckSpec } from '@fleetdeck/shared';

import type { Measured, Measurement } from './measure.ts';

/** What a summary may use: only the viewer's clusters are named; hidden failures are a number. */
export interface SummaryView {
  status: CheckStatus;
  shown: readonly Measured[];
  hiddenFailing: number;
  total: number;
}

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toString()}%`;
const points = (v: number) => `${v >= 0 ? '+' : ''}${(Math.round(v * 1000) / 10).toString()} points`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function valueText(spec: ReadinessCheckSpec, c: Measured): string | undefined {
  if (c.value === undefined) return c.note;
  switch (spec.kind) {
    case 'podHealth':
      return pct(c.value);
    case 'errorRate':
      return points(c.value);
    case 'restarts':
      return plural(c.value, 'restart');
    case 'violationsIntroduced':
      return `${plural(c.value, 'new violation')}${c.note ? ` ${c.note}` : ''}`;
    default:
      return String(Math.round(c.value * 1000) / 1000);
  }
}

/** "a (68%), b (70%) and 1 more you may not see" */
function named(spec: ReadinessCheckSpec, failing: readonly Measured[], hidden: number): string {
  const shown = failing.slice(0, 3).map((c) => {
    const v = valueText(spec, c);
    return v ? `${c.cluster} (${v})` : c.cluster;
  });
  const more = failing.length - shown.length;
  const parts = [...shown];
  if (more > 0) parts.push(`${more} more`);
  if (hidden > 0) parts.push(`${plural(hidden, 'cluster')} you may not see`);
  return parts.join(', ');
}

function failPhrase(spec: ReadinessCheckSpec, threshold: number | undefined): string {
  switch (spec.kind) {
    case 'rolloutResult':
      return 'not updated successfully';
    case 'podHealth':
      return `below ${pct(threshold ?? 0)} pods healthy`;
    case 'errorRate':
      return `with the API error rate up by more than ${points(threshold ?? 0).slice(1)} since the wave started`;
    case 'restarts':
      return `restarting more than ${threshold ?? 1}× as often as the hour before`;
    case 'violationsIntroduced':
      return 'with violations that were not there when the wave started';
    case 'failureThreshold':
      return 'failed';
    case 'promql':
      return `not ${spec.op ?? '<='} ${spec.threshold ?? 0}`;
  }
}

/** One sentence per check: "1 of 4 clusters below 95% pods healthy: client-a-staging (68%)". Never names a hidden cluster. */
export function summaryOf(spec: ReadinessCheckSpec, m: Measurement, view: SummaryView): string {
  const failing = view.shown.filter((c) => c.status === 'fail');
  const failCount = failing.length + view.hiddenFailing;
  if (spec.kind === 'failureThreshold') {
    if (m.threshold === undefined || m.threshold === 0) return 'The rollout sets no failure threshold.';
    const failed = m.perCluster.filter((c) => c.note === 'Failed').length;
    return view.status === 'fail'
      ? `${plural(failed, 'cluster')} failed, reaching the threshold of ${m.threshold}: ${named(spec, failing, view.hiddenFailing)}.`
      : `${failed} failed, below the threshold of ${m.threshold}.`;
  }
  if (view.total === 0) return 'The wave has no clusters.';
  if (view.status === 'fail')
    return `${failCount} of ${plural(view.total, 'cluster')} ${failPhrase(spec, m.threshold)}: ${named(spec, failing, view.hiddenFailing)}.`;
  if (view.status === 'unknown') {
    if (m.error !== undefined) return `No figures: ${m.error}.`;
    const unknown = m.perCluster.filter((c) => c.status === 'unknown').length;
    return `No figures for ${unknown} of ${plural(view.total, 'cluster')}.`;
  }
  return view.total === 1 ? 'The cluster passes.' : `All ${view.total} clusters pass.`;
}
