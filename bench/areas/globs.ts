import { compileSelector, parseSelector } from '@fleetdeck/shared';

import { record, type BenchRecord } from '../lib/record.ts';
import { round } from '../lib/stats.ts';

/** How main matched globs before: a regex built from the glob, run by V8's backtracking engine. */
function naiveGlob(glob: string): (name: string) => boolean {
  const re = new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (name) => re.test(name);
}

function names(count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `${'b'.repeat(length - String(i).length - 1)}-${i}`);
}

/** Best of five runs of `match` over every name, in ms. */
function timeAll(match: (name: string) => boolean, all: readonly string[]): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    for (const n of all) match(n);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Selector globs against 5,000 cluster names. The worst patterns for a backtracking
 * regex are runs of `*` before a character that never comes; for our bit-parallel
 * matcher the worst is the longest glob (most state words) against the longest names.
 * The naive regex is measured only on patterns it survives (2 and 3 stars; each star more
 * multiplies its time by about the name length): with 16 it took
 * 11.8 s for one request on main, with 20 it never finished.
 */
export function globBenchmarks(): BenchRecord[] {
  const dnsNames = names(5000, 63);
  const longNames = names(5000, 253);
  const selectorMatch = (text: string) => {
    const match = compileSelector(parseSelector(text));
    return (name: string) => match({ name, tenant: 't', labels: {}, annotations: {} });
  };
  const out: BenchRecord[] = [];
  for (const stars of [2, 3]) {
    const glob = `${'*'.repeat(stars)}a`;
    out.push(
      record('fleet', `glob "${glob}" × 5,000 names of 63 chars`, round(timeAll(selectorMatch(glob), dnsNames), 2), 'ms', {
        baseline: round(timeAll(naiveGlob(glob), dnsNames), 2),
        goal: 50,
      }),
    );
  }
  const worst: [string, string, readonly string[]][] = [
    ['20 stars then "a" (stalled main)', `${'*'.repeat(20)}a`, dnsNames],
    ['126 × "*b", 253 chars', '*b'.repeat(126) + '*', longNames],
    ['"*" + 251 × "?" + "a"', `*${'?'.repeat(251)}a`, longNames],
  ];
  for (const [label, glob, list] of worst) {
    out.push(
      record('fleet', `glob ${label} × 5,000 names of ${list[0]!.length} chars`, round(timeAll(selectorMatch(glob), list), 2), 'ms', {
        goal: 50,
      }),
    );
  }
  return out;
}
