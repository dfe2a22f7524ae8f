import { describe, expect, it } from 'vitest';

import { FleetHealthPanel, HealthBandPoint, HealthTableRow, Sample, isHealthBandPoint, isHealthTableRow, isSample } from '../src/index.ts';

/** Values a record check meets: good ones, and each way of being wrong. */
const odd: unknown[] = [null, undefined, 0, 1.5, '1', true, [], {}, [1], [1, 2, 3], Number.NaN, Number.POSITIVE_INFINITY];
const sampleCases: unknown[] = [
  [1, 2],
  [1795658100, 0.987],
  [0, -3],
  [1, Number.NaN],
  [1, Number.POSITIVE_INFINITY],
  [Number.NEGATIVE_INFINITY, 1],
  ['1', 2],
  [1, null],
  [1, 2, 3],
  { 0: 1, 1: 2, length: 2 },
  ...odd,
];
const band = { t: 1, p50: 0.5, p95: 0.9, min: 0, max: 1, n: 3 };
const bandCases: unknown[] = [
  band,
  { ...band, extra: 'kept' },
  ...(['t', 'p50', 'p95', 'min', 'max', 'n'] as const).flatMap((k) => [
    { ...band, [k]: undefined },
    { ...band, [k]: '1' },
    { ...band, [k]: Number.NaN },
    { ...band, [k]: Number.POSITIVE_INFINITY },
    { ...band, [k]: null },
  ]),
  Object.assign([], band),
  ...odd,
];
const row = { cluster: 'client-a-dev-00001', value: 0.98, at: 1795743000 };
const rowCases: unknown[] = [
  row,
  { ...row, cluster: '' },
  { ...row, cluster: 7 },
  { ...row, value: Number.NaN },
  { ...row, value: '1' },
  { ...row, at: undefined },
  { ...row, at: Number.NEGATIVE_INFINITY },
  { cluster: 'x', value: 1 },
  ...odd,
];

describe('the in-place checks accept exactly what their zod schemas accept', () => {
  it.each([
    ['Sample', Sample, isSample, sampleCases],
    ['HealthBandPoint', HealthBandPoint, isHealthBandPoint, bandCases],
    ['HealthTableRow', HealthTableRow, isHealthTableRow, rowCases],
  ] as const)('%s', (_name, schema, is, cases) => {
    for (const c of cases) expect([c, is(c)]).toEqual([c, schema.safeParse(c).success]);
  });
});

describe('a fleet panel with its big arrays checked in place', () => {
  const def = {
    id: 'cpu',
    title: 'CPU',
    unit: 'cores',
    help: 'h',
    source: 'cAdvisor',
    query: 'x',
    worse: 'higher',
    audience: 'namespaces',
  };
  const panel = () => ({
    def,
    band: [band, { ...band, t: 2 }],
    worst: [{ cluster: 'a', points: [[1, 2] as [number, number]] }],
    table: [row],
    tableSize: 1,
    warnings: [],
    errors: [],
  });

  it('returns the arrays it was given, not copies', () => {
    const input = panel();
    const parsed = FleetHealthPanel.safeParse(input);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data!.band).toBe(input.band);
    expect(parsed.data!.table).toBe(input.table);
    expect(parsed.data!.worst[0]!.points).toBe(input.worst[0]!.points);
  });

  it('refuses a bad element, naming where it is and what zod says of it', () => {
    const input = { ...panel(), table: [row, row, { ...row, value: 'high' }] };
    const parsed = FleetHealthPanel.safeParse(input);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['table', 2]);
    expect(issue.message).toMatch(/^element 2: .*number/i);
    expect(FleetHealthPanel.safeParse({ ...panel(), band: 'none' }).error?.issues[0]?.message).toBe('expected an array');
    const points = FleetHealthPanel.safeParse({ ...panel(), worst: [{ cluster: 'a', points: [[1, 2], [3]] }] });
    expect(points.error?.issues[0]?.path).toEqual(['worst', 0, 'points', 1]);
  });
});
