import { describe, expect, it } from 'vitest';

import { literalAlternation, re2Literal } from '../../src/access/re2.ts';
import { re2Regexp as re2 } from '../helpers/re2-regexp.ts';

/** A small deterministic generator (mulberry32): the same cases every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('literalAlternation', () => {
  it('writes shared prefixes once, at every depth', () => {
    expect(literalAlternation(['a'])).toBe('a');
    expect(literalAlternation(['a', 'b.c'])).toBe('a|b\\.c');
    expect(literalAlternation(['client-a-prod-001', 'client-a-prod-002'])).toBe('client-a-prod-00(?:1|2)');
    expect(literalAlternation(['dev', 'dev2'])).toBe('dev(?:2)?');
    expect(literalAlternation(['client-a-dev-1', 'client-a-dev-2', 'client-a-prod-1', 'client-b-dev-1'])).toBe(
      'client-(?:a-(?:dev-(?:1|2)|prod-1)|b-dev-1)',
    );
  });

  it('does not depend on order or repeats', () => {
    expect(literalAlternation(['b', 'a', 'b'])).toBe(literalAlternation(['a', 'b']));
  });

  it('refuses what no name is', () => {
    expect(() => literalAlternation([])).toThrow(RangeError);
    expect(() => literalAlternation(['a', ''])).toThrow(RangeError);
    expect(() => literalAlternation(['a\ud800'])).toThrow(RangeError);
  });

  it('matches exactly its names, over random sets with punctuation, prefixes of each other and astral code points', () => {
    const alphabet = ['a', 'b', '-', '.', '|', '(', ')', '*', '\\', '"', 'é', '😀', '😁', ' '];
    const next = random(12);
    const word = (max: number) =>
      Array.from({ length: 1 + Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]!).join('');
    for (let round = 0; round < 300; round++) {
      const names = Array.from({ length: 1 + Math.floor(next() * 12) }, () => word(5));
      const regex = literalAlternation(names);
      expect(regex).toMatch(/^[\x21-\x7e]+$/);
      const re = re2(regex);
      const set = new Set(names);
      for (const n of set) expect(re.test(n), `${JSON.stringify(names)} ${regex} ${n}`).toBe(true);
      // Near misses: prefixes, extensions and one-character edits of the names, and fresh words.
      const others = [...set].flatMap((n) => [n.slice(0, -1), `${n}a`, `a${n}`, n.replace(/.$/u, '-'), word(5)]);
      for (const o of others) expect(re.test(o), `${JSON.stringify(names)} ${regex} ${JSON.stringify(o)}`).toBe(set.has(o));
    }
  });

  it('is a fraction of the plain alternation for a fleet named by convention, and means the same', () => {
    const names = ['client-a', 'client-b', 'client-c'].flatMap((t) =>
      ['dev', 'staging', 'production'].flatMap((e) => Array.from({ length: 111 }, (_, i) => `${t}-${e}-${String(i * 7).padStart(5, '0')}`)),
    );
    const plain = names.map(re2Literal).join('|');
    const factored = literalAlternation(names);
    expect(factored.length).toBeLessThan(plain.length / 3);
    const re = re2(factored);
    for (const n of names) expect(re.test(n)).toBe(true);
    for (const n of ['client-a-dev-00001', 'client-d-dev-00000', 'client-a-dev-0000', 'client-a-dev-000000'])
      expect(re.test(n)).toBe(false);
  });

  it('joins very long names as they are (the tree would be as deep as the name)', () => {
    const long = 'x'.repeat(600);
    expect(literalAlternation([long, `${long}y`])).toBe(`${long}|${long}y`);
  });
});
