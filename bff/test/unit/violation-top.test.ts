import { describe, expect, it } from 'vitest';

import { topK } from '../../src/access/violations/violation-top.ts';

describe('topK', () => {
  it('gives the first k of a full sort, in order, with ties broken by the comparator', () => {
    let s = 42;
    const next = (n: number) => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % n;
    };
    // Few distinct counts: most items tie on the count and are ranked by name.
    const items = Array.from({ length: 500 }, (_, i) => ({ name: `n-${String(next(10_000)).padStart(5, '0')}-${i}`, count: next(6) }));
    const better = (a: (typeof items)[number], b: (typeof items)[number]) =>
      b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const sorted = [...items].sort(better);
    for (const k of [0, 1, 2, 7, 200, 499, 500, 501, 10_000]) expect(topK(items, k, better), `k=${k}`).toEqual(sorted.slice(0, k));
    // The input is left as it was.
    expect(items).not.toEqual(sorted);
  });

  it('handles an empty list', () => {
    expect(topK([], 3, (a: number, b: number) => a - b)).toEqual([]);
  });
});
