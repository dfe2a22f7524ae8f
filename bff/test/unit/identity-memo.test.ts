import { describe, expect, it } from 'vitest';

import { IdentityMemo, memoByIdentity } from '../../src/lib/identity-memo.ts';

describe('IdentityMemo', () => {
  it('computes once per key objects and extra, and again for another object that is equal but not the same', () => {
    const memo = new IdentityMemo<number>();
    const a = { id: 1 };
    const b = { id: 1 };
    let calls = 0;
    const get = (keys: [object, ...object[]], extra = '') => memo.get(keys, extra, () => ++calls);
    expect(get([a])).toBe(1);
    expect(get([a])).toBe(1);
    expect(get([b])).toBe(2);
    expect(get([a], 'higher 5')).toBe(3);
    expect(get([a], 'higher 5')).toBe(3);
    expect(get([a], 'lower 5')).toBe(4);
    expect(calls).toBe(4);
    expect([memo.hits, memo.misses]).toEqual([2, 4]);
  });

  it('tells key tuples apart by every member and by their order', () => {
    const memo = new IdentityMemo<string>();
    const [x, y, z] = [{}, {}, {}];
    const results = [
      memo.get([x, y], '', () => 'x,y'),
      memo.get([x, z], '', () => 'x,z'),
      memo.get([y, x], '', () => 'y,x'),
      memo.get([x], '', () => 'x'),
    ];
    expect(results).toEqual(['x,y', 'x,z', 'y,x', 'x']);
    expect(memo.get([x, y], '', () => 'again')).toBe('x,y');
    expect(memo.get([x], '', () => 'again')).toBe('x');
  });

  it('remembers undefined and false results too', () => {
    const memo = new IdentityMemo<boolean | undefined>();
    const k = {};
    let calls = 0;
    memo.get([k], '', () => (calls++, undefined));
    memo.get([k], '', () => (calls++, undefined));
    memo.get([k], 'f', () => (calls++, false));
    memo.get([k], 'f', () => (calls++, false));
    expect(calls).toBe(2);
  });
});

describe('memoByIdentity', () => {
  it('gives the same result object for the same argument, a new one for another', () => {
    let calls = 0;
    const sorted = memoByIdentity((xs: readonly number[]) => (calls++, [...xs].sort((a, b) => a - b)));
    const input = [3, 1, 2];
    const first = sorted(input);
    expect(first).toEqual([1, 2, 3]);
    expect(sorted(input)).toBe(first);
    expect(sorted([3, 1, 2])).not.toBe(first);
    expect(calls).toBe(2);
  });
});
