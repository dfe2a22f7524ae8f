/** One figure, as written to bench/results/latest.jsonl. */
export interface BenchRecord {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** The naive approach, measured in the same run; null where there is none. */
  baseline: number | null;
  /** baseline / value: how many times better than naive (for lower-is-better units). */
  ratio: number | null;
  /** Upper bound the value should stay under; null where no goal is set. */
  goal: number | null;
  met: boolean | null;
}

export function record(
  area: string,
  name: string,
  value: number,
  unit: string,
  opts: { baseline?: number; goal?: number } = {},
): BenchRecord {
  const baseline = opts.baseline ?? null;
  const goal = opts.goal ?? null;
  return {
    area,
    name,
    value,
    unit,
    baseline,
    ratio: baseline === null || value === 0 ? null : Math.round((baseline / value) * 100) / 100,
    goal,
    met: goal === null ? null : value <= goal,
  };
}

export function formatTable(records: readonly BenchRecord[]): string {
  const rows = [
    ['area', 'name', 'value', 'baseline', 'ratio', 'goal', 'met'],
    ...records.map((r) => [
      r.area,
      r.name,
      `${r.value} ${r.unit}`,
      r.baseline === null ? '—' : `${r.baseline} ${r.unit}`,
      r.ratio === null ? '—' : `${r.ratio}×`,
      r.goal === null ? '—' : `≤ ${r.goal} ${r.unit}`,
      r.met === null ? '—' : r.met ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
