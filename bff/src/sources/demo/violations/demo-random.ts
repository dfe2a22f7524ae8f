/** A number in [0, 1) fixed by the key (FNV-1a): the demo is the same on every start and in every test. */
export function rnd(...key: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of key.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One more mixing round: neighbouring keys must not give neighbouring numbers.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

/** Five hex characters, like a ReplicaSet's pod suffix. */
export const suffix = (...key: (string | number)[]) =>
  Math.floor(rnd('suffix', ...key) * 0xfffff)
    .toString(16)
    .padStart(5, '0');
