import { describe, expect, it } from 'vitest';

import { worstFirst, type FleetHealthPanel } from '@fleetdeck/shared';

import { fleetChart } from '../src/features/health/chart-data.ts';
import { formatBytes, formatDuration, formatTick, formatValue } from '../src/features/health/format-unit.ts';
import { HealthSearch, customRangeProblem, searchFromView, viewFromSearch } from '../src/features/health/health-window.ts';
import { nextSort } from '../src/features/health/table-sort.ts';

describe('health units', () => {
  it('formats each unit the way operators read it', () => {
    expect(formatValue('ratio', 0.9956)).toBe('99.6%');
    expect(formatValue('ratio', 1)).toBe('100%');
    expect(formatValue('percent', 42.25)).toBe('42.3%');
    expect(formatValue('cores', 1)).toBe('1 core');
    expect(formatValue('cores', 3.456)).toBe('3.46 cores');
    expect(formatValue('bytes', 3 * 1024 ** 3)).toBe('3 GiB');
    expect(formatValue('perSecond', 12.345)).toBe('12.35/s');
    expect(formatValue('perSecond', 25_000)).toBe('25K/s');
    expect(formatValue('count', 1234)).toBe('1,234');
    expect(formatValue('count', 2.5)).toBe('2.5');
    expect(formatValue('secondsSince', 7500)).toBe('2 h 5 min ago');
    expect(formatValue('bool', 1)).toBe('up');
    expect(formatValue('bool', 0)).toBe('down');
    expect(formatValue('bool', 0.5)).toBe('50% up');
    expect(formatValue('count', Number.NaN)).toBe('no value');
  });

  it('uses binary prefixes for bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 1024 ** 2)).toBe('10 MiB');
    expect(formatBytes(1.5 * 1024 ** 4)).toBe('1.5 TiB');
    expect(formatBytes(-2048)).toBe('-2 KiB');
  });

  it('gives ages in their two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(90_061)).toBe('1 d 1 h');
    expect(formatTick('secondsSince', 90_061)).toBe('1 d');
    expect(formatTick('bool', 1)).toBe('up');
    expect(formatTick('perSecond', 1500)).toBe('1.5K');
  });
});

describe('health window in the URL', () => {
  it('falls back to 6h on anything malformed and keeps a valid preset', () => {
    expect(viewFromSearch(HealthSearch.parse({}))).toEqual({ kind: 'preset', range: '6h' });
    expect(viewFromSearch(HealthSearch.parse({ range: '7d' }))).toEqual({ kind: 'preset', range: '7d' });
    expect(viewFromSearch(HealthSearch.parse({ range: '2y', from: 'yesterday' }))).toEqual({ kind: 'preset', range: '6h' });
  });

  it('takes a valid custom range over a preset, and refuses one that ends before it starts', () => {
    const from = '2026-11-20T00:00:00.000Z';
    const to = '2026-11-21T00:00:00.000Z';
    expect(viewFromSearch(HealthSearch.parse({ range: '1h', from, to }))).toEqual({ kind: 'custom', from, to });
    expect(viewFromSearch(HealthSearch.parse({ range: '1h', from: to, to: from }))).toEqual({ kind: 'preset', range: '1h' });
    expect(customRangeProblem(to, from)).toBe('The end must be after the start.');
    expect(customRangeProblem('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toMatch(/at most 400 days/);
    expect(searchFromView({ kind: 'preset', range: '15m' })).toEqual({ range: '15m', from: undefined, to: undefined });
  });
});

describe('health table columns', () => {
  it('flip on the same column and start a new one at its natural order', () => {
    const byName = nextSort(worstFirst('lower'), 'cluster', 'lower');
    expect(byName).toEqual({ by: 'cluster', dir: 'asc' });
    expect(nextSort(byName, 'cluster', 'lower')).toEqual({ by: 'cluster', dir: 'desc' });
    expect(nextSort(worstFirst('lower'), 'value', 'lower')).toEqual({ by: 'value', dir: 'desc' });
    expect(nextSort(byName, 'value', 'higher')).toEqual(worstFirst('higher'));
  });
});

describe('fleet chart data', () => {
  it('merges the band, the median and the worst clusters by time, under keys that are not cluster names', () => {
    const panel = {
      band: [
        { t: 10, p50: 0.9, p95: 0.99, min: 0.5, max: 1, n: 3 },
        { t: 20, p50: 0.8, p95: 0.7, min: 0.5, max: 1, n: 3 },
      ],
      worst: [{ cluster: 'edge.retail', points: [[20, 0.5] as [number, number], [30, Number.NaN] as [number, number]] }],
    } as unknown as FleetHealthPanel; // only the fields the mapper reads
    const { rows, series } = fleetChart(panel);
    expect(series.map((s) => [s.key, s.name])).toEqual([
      ['band', 'Fleet p50–p95'],
      ['p50', 'Fleet median'],
      ['w0', 'edge.retail'],
    ]);
    expect(rows).toEqual([
      { t: 10, band: [0.9, 0.99], p50: 0.9 },
      { t: 20, band: [0.7, 0.8], p50: 0.8, w0: 0.5 },
    ]);
    // Frozen, so the chart's store (Immer) takes the rows as they are instead of walking and freezing each.
    expect(Object.isFrozen(rows)).toBe(true);
  });
});

describe('health axis ticks', () => {
  it('keeps small rates readable and byte ticks on one line', () => {
    expect(formatValue('perSecond', 0.0117)).toBe('0.012/s');
    expect(formatValue('perSecond', 0)).toBe('0/s');
    expect(formatTick('perSecond', 0.0117)).toBe('0.012');
    expect(formatTick('count', 2)).toBe('2');
    expect(formatTick('bytes', 111.8 * 1024 ** 3)).toBe('112 GiB');
    expect(formatTick('bytes', 1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });
});
