import { describe, expect, it } from 'vitest';

import { recordedBand } from '../../src/sources/health/recorded-fleet-band.ts';
import type { PromRow } from '../../src/sources/health/prometheus-panels.ts';

const NAME = 'fleet:fleetdeck_cpu_cores:rate5m_band';
const row = (part: string, values: [number, string][], extra: Record<string, string> = {}): PromRow => ({
  metric: { __name__: NAME, fleetdeck_part: part, ...extra },
  values,
});
const five = (extra: Record<string, string> = {}) => [
  row(
    'p50',
    [
      [60, '0.5'],
      [120, '0.6'],
    ],
    extra,
  ),
  row(
    'p95',
    [
      [60, '0.9'],
      [120, '0.95'],
    ],
    extra,
  ),
  row(
    'min',
    [
      [60, '0.1'],
      [120, '0.2'],
    ],
    extra,
  ),
  row(
    'max',
    [
      [60, '1'],
      [120, '1'],
    ],
    extra,
  ),
  row(
    'n',
    [
      [60, '1000'],
      [120, '999'],
    ],
    extra,
  ),
];

describe('the recorded fleet band’s rows', () => {
  it('give the band, a point per step where every figure has a value', () => {
    expect(recordedBand(five())).toEqual([
      { t: 60, p50: 0.5, p95: 0.9, min: 0.1, max: 1, n: 1000 },
      { t: 120, p50: 0.6, p95: 0.95, min: 0.2, max: 1, n: 999 },
    ]);
    // An age panel's rows lose the metric name in `time() - …`: the same band.
    expect(recordedBand(five().map((r) => ({ ...r, metric: { fleetdeck_part: r.metric.fleetdeck_part! } })))).toHaveLength(2);
  });

  it('are read with the labels a Thanos Ruler or a central Prometheus adds, the same on every row', () => {
    expect(recordedBand(five({ prometheus: 'central', region: 'eu' }))).toEqual(recordedBand(five()));
  });

  it('are refused when they are not exactly one fleet’s band', () => {
    // Rules loaded on each cluster's Prometheus: the figures arrive once per cluster, labelled with it.
    expect(recordedBand([...five({ cluster: 'a' }), ...five({ cluster: 'b' })])).toBeUndefined();
    expect(recordedBand(five({ cluster: 'a' }))).toBeUndefined();
    expect(recordedBand(five({ namespace: 'client-a-apps' }))).toBeUndefined();
    // Figures from different sources, told apart by a label: not one band.
    const mixed = five({ prometheus: 'a' });
    mixed[4] = row(
      'n',
      [
        [60, '1000'],
        [120, '999'],
      ],
      { prometheus: 'b' },
    );
    expect(recordedBand(mixed)).toBeUndefined();
    // Two replicas without a distinguishing label: two rows for one figure.
    expect(recordedBand([...five(), row('p50', [[60, '0.4']])])).toBeUndefined();
    // A figure missing, or one that is not a figure.
    expect(recordedBand(five().slice(1))).toBeUndefined();
    expect(recordedBand([...five().slice(1), row('p99', [[60, '1']])])).toBeUndefined();
    expect(recordedBand([])).toBeUndefined();
  });

  it('skip values that are not finite, and steps where any figure has none', () => {
    const rows = five();
    rows[0] = row('p50', [
      [60, 'NaN'],
      [120, '0.6'],
    ]);
    expect(recordedBand(rows)!.map((p) => p.t)).toEqual([120]);
  });
});
