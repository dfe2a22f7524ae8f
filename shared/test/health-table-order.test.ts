import { describe, expect, it } from 'vitest';

import { sortHealthRows, worstFirst, worstHealthRows } from '../src/index.ts';

describe('health table order', () => {
  const rows = [
    { cluster: 'b', value: 0.5, at: 1 },
    { cluster: 'a', value: 0.9, at: 1 },
    { cluster: 'c', value: 0.5, at: 1 },
  ];

  it('opens worst first, in the direction the panel calls worse; ties by name A to Z either way', () => {
    expect(sortHealthRows(rows, worstFirst('lower')).map((r) => r.cluster)).toEqual(['b', 'c', 'a']);
    expect(sortHealthRows(rows, worstFirst('higher')).map((r) => r.cluster)).toEqual(['a', 'b', 'c']);
    expect(sortHealthRows(rows, { by: 'cluster', dir: 'desc' }).map((r) => r.cluster)).toEqual(['c', 'b', 'a']);
  });

  it('cuts the worst rows in that same order, and leaves its input alone', () => {
    expect(worstHealthRows(rows, 'lower', 2).map((r) => r.cluster)).toEqual(['b', 'c']);
    expect(worstHealthRows(rows, 'higher', 1).map((r) => r.cluster)).toEqual(['a']);
    expect(worstHealthRows(rows, 'lower', 10)).toHaveLength(3);
    expect(worstHealthRows(rows, 'lower', -1)).toEqual([]);
    expect(rows.map((r) => r.cluster)).toEqual(['b', 'a', 'c']);
  });

  it('orders cluster names as an English collator does (they are DNS-1123 subdomains)', () => {
    // Seeded, so a failure names the same names again.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789.-';
    const name = () => {
      const n = 1 + Math.floor(next() * 12);
      let s = alphabet[Math.floor(next() * 36)]!;
      for (let i = 1; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)]!;
      return s + alphabet[Math.floor(next() * 36)]!;
    };
    const names = Array.from({ length: 2000 }, name).concat(['a', 'a-b', 'a.b', 'a0', 'ab', 'a-', 'prod-eu-west', 'prod.eu', 'prod1']);
    const table = names.map((cluster) => ({ cluster, value: 1, at: 0 }));
    const collator = new Intl.Collator('en');
    expect(sortHealthRows(table, { by: 'cluster', dir: 'asc' }).map((r) => r.cluster)).toEqual([...names].sort(collator.compare));
  });
});
