import { describe, expect, it } from 'vitest';

import { BoundedMemo } from '../../src/lib/bounded-memo.ts';

describe('BoundedMemo', () => {
  it('counts hits and misses, and keeps the most recently used within its byte budget (keys counted when asked)', () => {
    const memo = new BoundedMemo<string>(Infinity, { maxBytes: 20, sizeOf: (v, k) => v.length + k.length });
    memo.getOrCompute('a', () => '12345'); // 6 bytes
    memo.getOrCompute('b', () => '12345'); // 12
    memo.getOrCompute('a', () => 'never'); // a is now the most recent
    memo.getOrCompute('c', () => '1234567'); // 20
    memo.getOrCompute('d', () => '1'); // 22 > 20: b (least recently used) goes
    expect([memo.hits, memo.misses]).toEqual([1, 4]);
    expect(memo.getOrCompute('a', () => 'recomputed')).toBe('12345');
    expect(memo.getOrCompute('b', () => 'recomputed')).toBe('recomputed');
    expect(memo.bytes).toBeLessThanOrEqual(20);
  });

  it('returns an entry over maxEntryBytes without keeping it, so it never empties the rest', () => {
    const memo = new BoundedMemo<string>(Infinity, { maxBytes: 100, maxEntryBytes: 25, sizeOf: (v) => v.length });
    memo.getOrCompute('small', () => 'x'.repeat(10));
    expect(memo.getOrCompute('big', () => 'y'.repeat(30))).toHaveLength(30);
    expect(memo.size).toBe(1);
    expect(memo.getOrCompute('small', () => 'other')).toHaveLength(10);
    expect(memo.getOrCompute('big', () => 'again')).toBe('again');
  });
});
