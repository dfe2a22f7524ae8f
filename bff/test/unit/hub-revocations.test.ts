import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  HUB_REVOCATIONS_CAPACITY,
  REVOCATIONS_KEY,
  REVOCATIONS_SECRET,
  RevocationsSecret,
  boundEntries,
  decodeEntries,
  encodeEntries,
  mergeEntries,
  nextEntries,
  pruneEntries,
  revocationsSecret,
  sidHash,
  type RevocationEntries,
} from '../../src/auth/hub-revocation-entries.ts';

const SID = 'Zm9vYmFyYmF6cXV4cXV1eDEy';
const h = (s: string) => sidHash(s);
const entries = (...pairs: [string, number][]): RevocationEntries => new Map(pairs.map(([sid, until]) => [h(sid), until]));

describe('hub revocation entries', () => {
  it('hashes a session id with SHA-256; the id itself appears nowhere in what is written', () => {
    expect(sidHash(SID)).toBe(createHash('sha256').update(SID).digest('hex'));
    expect(sidHash(SID)).not.toBe(sidHash(`${SID}x`));
    const secret = revocationsSecret('ns', entries([SID, 2_000_000_000_000]));
    const text = JSON.stringify(secret);
    const decoded = Buffer.from(secret.data[REVOCATIONS_KEY], 'base64');
    for (const form of [text, decoded.toString('latin1'), decoded.toString('hex'), decoded.toString('base64url')])
      expect(form).not.toContain(SID);
    expect(decoded.toString('hex')).toContain(sidHash(SID));
  });

  it('round-trips through the Secret encoding (expiries in whole seconds, rounded up, never earlier)', () => {
    const list = entries(['a', 1_700_000_000_000], ['b', 1_700_000_000_001], ['c', 1_800_000_000_500]);
    const back = decodeEntries(encodeEntries(list), 0);
    expect(back).toEqual(entries(['a', 1_700_000_000_000], ['b', 1_700_000_001_000], ['c', 1_800_000_001_000]));
    for (const [hash, until] of list) expect(back.get(hash)!).toBeGreaterThanOrEqual(until);
  });

  it('decodes only live entries, tolerates an empty or torn value', () => {
    const encoded = encodeEntries(entries(['gone', 5_000], ['live', 9_000]));
    expect([...decodeEntries(encoded, 5_000).keys()]).toEqual([h('live')]);
    expect(decodeEntries(undefined, 0).size).toBe(0);
    expect(decodeEntries('', 0).size).toBe(0);
    const torn = Buffer.from(encoded, 'base64')
      .subarray(0, 36 + 10)
      .toString('base64');
    expect(decodeEntries(torn, 0)).toEqual(entries(['gone', 5_000]));
  });

  it('merges as a union, keeping the later expiry of a hash present in both', () => {
    const hub = entries(['a', 10_000], ['b', 20_000]);
    const ours = entries(['b', 30_000], ['c', 5_000]);
    expect(mergeEntries(hub, ours)).toEqual(entries(['a', 10_000], ['b', 30_000], ['c', 5_000]));
    // Order does not matter: an older copy of an entry never shortens it.
    expect(mergeEntries(ours, hub)).toEqual(mergeEntries(hub, ours));
    expect(mergeEntries(entries(['b', 30_000]), entries(['b', 1_000])).get(h('b'))).toBe(30_000);
  });

  it('prunes entries at their expiry (a cookie that old is refused by its own lifetime)', () => {
    const list = entries(['a', 1_000], ['b', 2_000], ['c', 3_000]);
    expect(pruneEntries(list, 2_000)).toEqual(entries(['c', 3_000]));
    expect(pruneEntries(list, 0)).toEqual(list);
  });

  it('bounds the list, dropping the entries nearest their natural expiry first', () => {
    const list = entries(['a', 4_000], ['b', 1_000], ['c', 3_000], ['d', 2_000]);
    expect(boundEntries(list, 2)).toEqual(entries(['a', 4_000], ['c', 3_000]));
    expect(boundEntries(list, 4)).toBe(list);
    expect(boundEntries(list, 0).size).toBe(0);
    // Equal expiries: every replica drops the same ones (by hash), whatever order it merged in.
    const tied = entries(['x', 1_000], ['y', 1_000], ['z', 1_000]);
    const reversed = new Map([...tied].reverse());
    expect([...boundEntries(tied, 2).keys()].sort()).toEqual([...boundEntries(reversed, 2).keys()].sort());
  });

  it('computes what to write: hub plus ours, expired dropped, bounded to the capacity', () => {
    const now = 10_000;
    const hub = entries(['old', 9_000], ['h1', 50_000], ['h2', 60_000]);
    const ours = entries(['o1', 70_000], ['h1', 80_000]);
    expect(nextEntries(hub, ours, now)).toEqual(entries(['h1', 80_000], ['h2', 60_000], ['o1', 70_000]));
    expect(nextEntries(hub, ours, now, 2)).toEqual(entries(['h1', 80_000], ['o1', 70_000]));
  });

  it('fits the full capacity in a Secret (the API server refuses data over 1 MiB)', () => {
    const full: RevocationEntries = new Map();
    for (let i = 0; i < HUB_REVOCATIONS_CAPACITY + 5; i++) full.set(h(`sid-${i}`), 2_000_000_000_000 + i * 1000);
    const written = nextEntries(new Map(), full, 0);
    expect(written.size).toBe(HUB_REVOCATIONS_CAPACITY);
    const bytes = Buffer.from(encodeEntries(written), 'base64').length;
    expect(bytes).toBe(HUB_REVOCATIONS_CAPACITY * 36);
    expect(bytes).toBeLessThan(1024 * 1024);
    // The five soonest to expire went.
    for (let i = 0; i < 5; i++) expect(written.has(h(`sid-${i}`))).toBe(false);
    expect(written.has(h('sid-5'))).toBe(true);
  });

  it('writes with the resourceVersion read (a precondition) and creates without one', () => {
    const put = revocationsSecret('fleetdeck-system', new Map(), '42');
    expect(put.metadata).toMatchObject({ name: REVOCATIONS_SECRET, namespace: 'fleetdeck-system', resourceVersion: '42' });
    expect(revocationsSecret('fleetdeck-system', new Map()).metadata).not.toHaveProperty('resourceVersion');
    expect(RevocationsSecret.parse(put).data?.[REVOCATIONS_KEY]).toBe('');
    expect(RevocationsSecret.safeParse({ metadata: {}, data: { [REVOCATIONS_KEY]: 7 } }).success).toBe(false);
  });
});
