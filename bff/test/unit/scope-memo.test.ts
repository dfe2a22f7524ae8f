import { describe, expect, it } from 'vitest';

import { GenerationCache, InventoryShape } from '../../src/access/scope-memo.ts';

const a = { name: 'a', tenant: 't1', environment: 'prod' };
const b = { name: 'b', tenant: 't2', environment: 'dev' };

describe('the inventory shape', () => {
  it('moves only when a name, tenant or environment changes, not with the version alone', () => {
    let inv = { version: 1, clusters: [a, b] };
    const shape = new InventoryShape(() => inv);
    const g1 = shape.generation();
    inv = { version: 2, clusters: [{ ...a }, { ...b }] };
    expect(shape.generation()).toBe(g1);
    inv = { version: 3, clusters: [a, { ...b, tenant: 't1' }] };
    const g2 = shape.generation();
    expect(g2).not.toBe(g1);
    inv = { version: 4, clusters: [a, { ...b, tenant: 't1', environment: 'prod' }] };
    expect(shape.generation()).not.toBe(g2);
    inv = { version: 5, clusters: [a] };
    const g4 = shape.generation();
    inv = { version: 6, clusters: [a, { name: 'c', tenant: 't1', environment: 'prod' }] };
    expect(shape.generation()).not.toBe(g4);
  });
});

describe('the generation cache', () => {
  it('computes once per key and generation, and drops everything when the generation changes', () => {
    const cache = new GenerationCache(10);
    let computed = 0;
    const get = (gen: string, key: string) => cache.get(gen, key, () => ({ key, n: ++computed }));
    const first = get('g1', 'x');
    expect(get('g1', 'x')).toBe(first);
    get('g1', 'y');
    expect(computed).toBe(2);
    expect(get('g2', 'x')).not.toBe(first);
    expect(cache.size).toBe(1);
  });

  it('keeps at most its limit, the oldest out first', () => {
    const cache = new GenerationCache(2);
    let computed = 0;
    const get = (key: string) => cache.get('g', key, () => ++computed);
    get('a');
    get('b');
    get('c');
    expect(cache.size).toBe(2);
    expect(get('c')).toBe(3);
    expect(get('a')).toBe(4);
  });
});
