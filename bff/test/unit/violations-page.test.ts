import { describe, expect, it } from 'vitest';

import type { Violation } from '@fleetdeck/shared';

import { violationMatcher } from '../../src/access/violations/violation-filter.ts';
import { mergeRuns } from '../../src/access/violations/violation-merge.ts';
import { BadCursor, encodeCursor, pageOf, sortRows } from '../../src/access/violations/violation-page.ts';
import { reachOf } from '../../src/access/violations/violation-scope.ts';
import { CLUSTERS, PLATFORM, violation } from './violations-fixtures.ts';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;
const rows: Violation[] = Array.from({ length: 237 }, (_, i) =>
  violation({ cluster: CLUSTERS[i % 3]!.name, severity: SEVERITIES[i % 6]!, policy: `p-${i % 7}` }, `ns-${i % 5}`),
);

function allPages(sort?: 'severity' | 'cluster' | 'policy' | 'namespace' | 'lastSeen', order?: 'asc' | 'desc', limit = 50): Violation[] {
  const sorted = sortRows(rows, sort, order);
  const out: Violation[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = pageOf(sorted, cursor, limit);
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pages never ended');
}

describe('violation pages', () => {
  it('walks every row exactly once, in order, for each sort and direction', () => {
    for (const sort of ['severity', 'cluster', 'policy', 'namespace', 'lastSeen'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const walked = allPages(sort, order, 31);
        expect(walked).toEqual(sortRows(rows, sort, order).rows);
        expect(new Set(walked.map((v) => v.id)).size).toBe(rows.length);
      }
    }
  });

  it('sorts worst severity first by default, ties by id', () => {
    const first = pageOf(sortRows(rows), undefined, 5).items;
    expect(first.every((v) => v.severity === 'critical')).toBe(true);
    expect(first.map((v) => v.id)).toEqual([...first.map((v) => v.id)].sort());
  });

  it('says where the next page starts only while there is one', () => {
    const sorted = sortRows(rows);
    expect(pageOf(sorted, undefined, 237).nextCursor).toBeUndefined();
    expect(pageOf(sorted, undefined, 236).nextCursor).toBeDefined();
  });

  it('refuses a cursor it did not give out, and one of another sort', () => {
    const sorted = sortRows(rows, 'cluster');
    expect(() => pageOf(sorted, 'not-base64-json', 10)).toThrow(BadCursor);
    expect(() => pageOf(sorted, Buffer.from('[1,2]').toString('base64url'), 10)).toThrow(BadCursor);
    expect(() => pageOf(sorted, encodeCursor(['policy', 'asc', 'p-1', 'v1']), 10)).toThrow(/another sort/);
  });

  it('matches free text as plain case-insensitive text, never as a pattern', () => {
    const reach = reachOf(PLATFORM, CLUSTERS);
    const tricky = violation({ cluster: 'a-prod', message: 'image must not use tag :latest (.*) [x]' }, 'ns-1');
    const plain = violation({ cluster: 'a-prod', message: 'something else' }, 'ns-1');
    const q = (text: string) => [tricky, plain].filter(violationMatcher(reach, { q: text })).map((v) => v.id);
    expect(q('(.*)')).toEqual([tricky.id]);
    expect(q('.*')).toEqual([tricky.id]);
    expect(q('[X]')).toEqual([tricky.id]);
    expect(q('LATEST')).toEqual([tricky.id]);
    expect(q('^something')).toEqual([]);
    expect(q(plain.resource.name.toUpperCase())).toEqual([plain.id]);
  });

  it('merges per-cluster runs handed over in any cluster order into the one order of sortRows', () => {
    const byCluster = CLUSTERS.map((c) => rows.filter((v) => v.cluster === c.name));
    // b-prod, a-prod, a-dev: neither ascending nor descending by name.
    const shuffled = [byCluster[2]!, byCluster[0]!, byCluster[1]!];
    for (const sort of ['cluster', 'severity', 'policy'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const runs = shuffled.map((r) => ({ sorted: sortRows(r, sort, order), keep: undefined }));
        const merged = [...mergeRuns(runs, order)].map(([v]) => v.id);
        expect(merged, `${sort} ${order}`).toEqual(sortRows(rows, sort, order).rows.map((v) => v.id));
      }
    }
  });
});
