/**
 * Fast integer hashing for the demo's log lines: every line is a pure function of
 * (stream seed, slot, salt), so nothing is stored and every read sees the same lines.
 */

/** A 32-bit seed from a text (FNV-1a). */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A number in [0, 1) fixed by (seed, k, salt): murmur3's finaliser over the three. */
export function unit(seed: number, k: number, salt = 0): number {
  let h = (seed ^ Math.imul(k | 0, 0x9e3779b1) ^ Math.imul(Math.floor(k / 2 ** 32) + salt * 0x85ebca6b, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** An integer in [0, n) fixed by (seed, k, salt). */
export const pick = (seed: number, k: number, salt: number, n: number) => Math.floor(unit(seed, k, salt) * n);

/** `len` hex characters fixed by (seed, k, salt). */
export function hex(seed: number, k: number, salt: number, len: number): string {
  let out = '';
  for (let i = 0; out.length < len; i++)
    out += Math.floor(unit(seed, k, salt * 31 + i) * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return out.slice(0, len);
}
