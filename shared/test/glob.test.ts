import { describe, expect, it } from 'vitest';

import { compileGlob } from '../src/selectors/glob.ts';
import { compileSelector, parseSelector, SelectorError } from '../src/selectors/selector.ts';

/** The textbook dynamic-programming matcher: obviously right, quadratic, used only as the oracle here. */
function reference(glob: string, name: string): boolean {
  const m = glob.length;
  const n = name.length;
  let prev = Array<boolean>(n + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= m; i++) {
    const g = glob[i - 1];
    const row = Array<boolean>(n + 1).fill(false);
    row[0] = g === '*' && prev[0]!;
    for (let j = 1; j <= n; j++) {
      if (g === '*') row[j] = prev[j]! || row[j - 1]!;
      else row[j] = prev[j - 1]! && (g === '?' || g === name[j - 1]);
    }
    prev = row;
  }
  return prev[n]!;
}

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('compileGlob', () => {
  it('matches the brief’s examples', () => {
    expect(compileGlob('prod-*')('prod-us-east')).toBe(true);
    expect(compileGlob('prod-*')('staging')).toBe(false);
    expect(compileGlob('*-staging-*')('client-a-staging-1')).toBe(true);
    expect(compileGlob('*-staging-*')('client-a-staging')).toBe(false);
    expect(compileGlob('edge-retail-00?')('edge-retail-001')).toBe(true);
    expect(compileGlob('edge-retail-00?')('edge-retail-0010')).toBe(false);
    expect(compileGlob('*')('')).toBe(true);
    expect(compileGlob('exact')('exact')).toBe(true);
    expect(compileGlob('exact')('exactly')).toBe(false);
  });

  it('agrees with a reference matcher on 20,000 random globs and names, across word boundaries', () => {
    const rnd = random(42);
    const pick = (alphabet: string, len: number) =>
      Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    let matches = 0;
    for (let i = 0; i < 20_000; i++) {
      // Long globs (more than 32 and 64 positions) exercise the carry between words.
      const glob = pick('ab*?', Math.floor(rnd() * (i % 10 === 0 ? 90 : 8)));
      const name = pick('ab', Math.floor(rnd() * (i % 10 === 0 ? 100 : 10)));
      const want = reference(glob, name);
      if (want) matches++;
      expect(compileGlob(glob)(name), `${glob} ~ ${name}`).toBe(want);
    }
    // Both outcomes were really exercised.
    expect(matches).toBeGreaterThan(1000);
    expect(matches).toBeLessThan(19_000);
  });

  it('refuses globs longer than a Kubernetes name', () => {
    expect(() => compileGlob('a'.repeat(254))).toThrow(/longer than 253/);
  });
});

describe('selector checks on long input', () => {
  it('refuses over-long keys, values and globs with a position, before any pattern runs', () => {
    expect(() => parseSelector(`${'a'.repeat(400)}=x`)).toThrow(SelectorError);
    expect(() => parseSelector(`env=${'a'.repeat(64)}`)).toThrow(/value longer than 63/);
    expect(() => parseSelector(`${'*'.repeat(300)}a`)).toThrow(/cluster name glob longer than 253/);
  });

  it('compiles the pattern that stalled main (20 stars, then a) to a matcher that says no at once', () => {
    const selector = parseSelector(`${'*'.repeat(20)}a`);
    const match = compileSelector(selector);
    const cluster = { name: 'b'.repeat(60), tenant: 't', labels: {}, annotations: {} };
    expect(match(cluster)).toBe(false);
    expect(match({ ...cluster, name: `${'b'.repeat(59)}a` })).toBe(true);
  });
});
