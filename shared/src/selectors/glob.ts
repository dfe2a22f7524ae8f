/**
 * Name globs (`*` any run, `?` one character) matched without backtracking.
 *
 * A glob is compiled to a tiny NFA — state i means "the first i literal or `?`
 * positions matched"; a `*` gives the state before it a self-loop — and simulated
 * bit-parallel (Shift-And) over 32-bit words. A match costs O(name length × words),
 * whatever the pattern: `****…a` against any name is as cheap as `prod-*`. A regex
 * built from the glob (the old way) backtracks exponentially on such patterns.
 */
export type GlobMatcher = (name: string) => boolean;

/** Globs longer than this are refused by the parsers; Kubernetes names are at most 253 characters. */
export const MAX_GLOB_LENGTH = 253;

export function compileGlob(glob: string): GlobMatcher {
  if (glob.length > MAX_GLOB_LENGTH) throw new RangeError(`glob longer than ${MAX_GLOB_LENGTH} characters`);
  // Kubernetes names are ASCII; the mask table below relies on it.
  if (/[^\x20-\x7e]/.test(glob)) throw new RangeError('glob has a character outside printable ASCII');
  if (!/[*?]/.test(glob)) return (name) => name === glob;
  if (/^\*+$/.test(glob)) return () => true;

  // positions[i]: the character position i+1 accepts, or undefined for `?`.
  const positions: (number | undefined)[] = [];
  const loopStates = new Set<number>();
  for (let i = 0; i < glob.length; i++) {
    const ch = glob.charCodeAt(i);
    if (ch === 42 /* * */) loopStates.add(positions.length);
    else positions.push(ch === 63 /* ? */ ? undefined : ch);
  }
  const k = positions.length;
  const words = ((k + 1) >>> 5) + 1;

  // One mask row per character code below 128 (names are ASCII), plus one row for every
  // other character, in one flat table: the hot loop does no map look-ups.
  const OTHER = 128;
  const masks = new Uint32Array((OTHER + 1) * words);
  positions.forEach((p, i) => {
    const state = i + 1;
    for (let c = 0; c <= OTHER; c++) {
      if (p === undefined || p === c) masks[c * words + (state >>> 5)]! |= 1 << (state & 31);
    }
  });
  const loops = new Uint32Array(words);
  for (const s of loopStates) loops[s >>> 5]! |= 1 << (s & 31);
  const acceptWord = k >>> 5;
  const acceptBit = 1 << (k & 31);
  const minLength = k;
  const exactLength = loopStates.size === 0;

  let current = new Uint32Array(words);
  let next = new Uint32Array(words);
  return (name) => {
    if (name.length < minLength || (exactLength && name.length !== minLength)) return false;
    current.fill(0);
    current[0] = 1;
    for (let i = 0; i < name.length; i++) {
      const code = name.charCodeAt(i);
      const row = (code < OTHER ? code : OTHER) * words;
      let carry = 0;
      let alive = 0;
      for (let w = 0; w < words; w++) {
        const d = current[w]!;
        const n = (((d << 1) | carry) & masks[row + w]!) | (d & loops[w]!);
        carry = d >>> 31;
        next[w] = n;
        alive |= n;
      }
      if (alive === 0) return false;
      [current, next] = [next, current];
    }
    return (current[acceptWord]! & acceptBit) !== 0;
  };
}
