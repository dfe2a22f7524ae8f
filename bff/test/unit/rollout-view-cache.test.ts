import { describe, expect, it } from 'vitest';

import { RolloutViewCache } from '../../src/sources/rollouts/rollout-view-cache.ts';
import { sameJson } from '../../src/sources/rollouts/same-json.ts';

describe('sameJson', () => {
  const cases: [unknown, unknown][] = [
    [
      { a: 1, b: [1, 2, { c: 'x' }] },
      { a: 1, b: [1, 2, { c: 'x' }] },
    ],
    [
      { a: 1, b: [1, 2, { c: 'x' }] },
      { a: 1, b: [1, 2, { c: 'y' }] },
    ],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: undefined }, { b: undefined }],
    [
      [1, 2],
      [1, 2, 3],
    ],
    [[], {}],
    [{ 0: 'a' }, ['a']],
    [null, {}],
    [null, null],
    ['1', 1],
    [{ a: null }, { a: undefined }],
    [{ a: { b: [] } }, { a: { b: [] } }],
    [{ a: { b: [] } }, { a: { b: [undefined] } }],
  ];
  it.each(cases)('agrees with comparing JSON.stringify (key order aside): %j vs %j', (a, b) => {
    expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    expect(sameJson(b, a)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });

  it('ignores key order, which JSON.stringify would not', () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  });
});

describe('RolloutViewCache', () => {
  it('computes a view once per rollout version, access context and key', () => {
    const cache = new RolloutViewCache<string>();
    let computed = 0;
    const view = (r: object, ctx: object, key: string) =>
      cache.get(r, ctx, key, () => {
        computed++;
        return `${key}-${computed}`;
      });
    const r1 = {};
    const ctx1 = {};
    expect(view(r1, ctx1, 'admins')).toBe('admins-1');
    expect(view(r1, ctx1, 'admins')).toBe('admins-1');
    expect(view(r1, ctx1, 'tenant-a')).toBe('tenant-a-2');
    // A new version of the rollout, or a new inventory (context), is a miss.
    expect(view({}, ctx1, 'admins')).toBe('admins-3');
    const ctx2 = {};
    expect(view(r1, ctx2, 'admins')).toBe('admins-4');
    expect(view(r1, ctx2, 'tenant-a')).toBe('tenant-a-5');
    expect(computed).toBe(5);
  });

  it('remembers "not visible" too, and bounds the keys kept per rollout', () => {
    const cache = new RolloutViewCache<string>();
    let computed = 0;
    const r = {};
    const ctx = {};
    const hidden = () => cache.get(r, ctx, 'nobody', () => (computed++, undefined));
    expect(hidden()).toBeUndefined();
    expect(hidden()).toBeUndefined();
    expect(computed).toBe(1);
    for (let i = 0; i < 64; i++) cache.get(r, ctx, `k${i}`, () => 'v');
    // 'nobody' was the oldest of 65 keys: it went first.
    hidden();
    expect(computed).toBe(2);
  });
});
