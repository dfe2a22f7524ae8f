import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { backfillPasses } from '../../src/prom/start.ts';

type RuleFile = Parameters<typeof backfillPasses>[0];

describe('backfill passes of a recording rules file', () => {
  it('put rules that read other rules’ output in a later pass, in their group, order kept', () => {
    const passes = backfillPasses({
      groups: [
        {
          name: 'g',
          interval: '1m',
          rules: [
            { record: 'cluster:a:sum', expr: 'sum by (cluster) (a)' },
            { record: 'fleet:a:band', expr: 'max(cluster:a:sum{cluster!=""})' },
            { record: 'cluster:b:sum', expr: 'sum by (cluster) (b)' },
            { record: 'top:a', expr: 'fleet:a:band * 2' },
          ],
        },
      ],
    });
    expect(passes.map((p) => p.groups.map((g) => [g.name, g.interval, g.rules.map((r) => r.record)]))).toEqual([
      [['g', '1m', ['cluster:a:sum', 'cluster:b:sum']]],
      [['g', '1m', ['fleet:a:band']]],
      [['g', '1m', ['top:a']]],
    ]);
  });

  it('match whole names only: a rule naming a longer metric that starts with another’s record is not its reader', () => {
    const passes = backfillPasses({
      groups: [
        {
          name: 'g',
          rules: [
            { record: 'x:a', expr: 'sum(a)' },
            { record: 'x:b', expr: 'sum(x:a_total) + sum(my_x:a)' },
          ],
        },
      ],
    });
    expect(passes).toHaveLength(1);
  });

  it('refuse a cycle', () => {
    expect(() =>
      backfillPasses({
        groups: [
          {
            name: 'g',
            rules: [
              { record: 'a', expr: 'b + 1' },
              { record: 'b', expr: 'a + 1' },
            ],
          },
        ],
      }),
    ).toThrow(/cycle/);
  });

  it('backfill the operators’ rules file in two passes: the per-cluster series, then the fleet bands', () => {
    const file = parse(
      readFileSync(new URL('../../../deploy/prometheus/fleetdeck-recording-rules.yaml', import.meta.url), 'utf8'),
    ) as RuleFile;
    const passes = backfillPasses(file);
    expect(passes.map((p) => p.groups[0]!.rules.map((r) => r.record!.split(':')[0]))).toEqual([
      Array<string>(9).fill('cluster'),
      Array<string>(9).fill('fleet'),
    ]);
  });
});
