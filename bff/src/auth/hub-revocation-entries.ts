import { createHash } from 'node:crypto';

import { z } from 'zod';

/**
 * The shared logout revocation list as the hub holds it, pure: hashing, the Secret's
 * encoding, and the rule that turns what the hub has plus what this replica revoked into
 * what to write. I/O lives in hub-revocations.ts.
 */

/** The one Secret the BFF owns for this, in the leader Lease's namespace. */
export const REVOCATIONS_SECRET = 'fleetdeck-revocations';
/** The Secret's data key; the version is in the name so a new layout can sit beside it. */
export const REVOCATIONS_KEY = 'revoked-sessions.v1';
/**
 * At most this many entries on the hub. A record is 36 bytes (SHA-256 + 4-byte expiry), so
 * 20,000 of them are 720 kB: under the API server's 1 MiB limit on a Secret's data.
 */
export const HUB_REVOCATIONS_CAPACITY = 20_000;

const HASH_BYTES = 32;
const RECORD_BYTES = HASH_BYTES + 4;

/** SHA-256 (hex) of a session id → epoch ms until which it is revoked. */
export type RevocationEntries = Map<string, number>;

/**
 * Only a hash of the session id goes to the hub: whoever reads the Secret learns nothing
 * that would let them present the session (the id is 18 random bytes, so no guessing).
 */
export function sidHash(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/** Expiries are kept in whole seconds, rounded up, so a revocation never ends early. */
const toSeconds = (ms: number) => Math.min(0xffff_ffff, Math.max(0, Math.ceil(ms / 1000)));

/** Base64 of fixed records (hash | uint32 BE expiry seconds), soonest expiry first. */
export function encodeEntries(entries: RevocationEntries): string {
  const sorted = [...entries].sort(([ha, a], [hb, b]) => a - b || ha.localeCompare(hb));
  const buf = Buffer.alloc(sorted.length * RECORD_BYTES);
  sorted.forEach(([hash, until], i) => {
    buf.write(hash, i * RECORD_BYTES, HASH_BYTES, 'hex');
    buf.writeUInt32BE(toSeconds(until), i * RECORD_BYTES + HASH_BYTES);
  });
  return buf.toString('base64');
}

/** The entries in `base64` still live at `nowMs`; a torn trailing record is ignored. */
export function decodeEntries(base64: string | undefined, nowMs: number): RevocationEntries {
  const out: RevocationEntries = new Map();
  if (!base64) return out;
  const buf = Buffer.from(base64, 'base64');
  for (let at = 0; at + RECORD_BYTES <= buf.length; at += RECORD_BYTES) {
    const until = buf.readUInt32BE(at + HASH_BYTES) * 1000;
    if (until <= nowMs) continue;
    const hash = buf.toString('hex', at, at + HASH_BYTES);
    out.set(hash, Math.max(until, out.get(hash) ?? 0));
  }
  return out;
}

/** Union; a hash in several lists keeps its latest expiry. */
export function mergeEntries(...lists: RevocationEntries[]): RevocationEntries {
  const out: RevocationEntries = new Map();
  for (const list of lists) for (const [hash, until] of list) out.set(hash, Math.max(until, out.get(hash) ?? 0));
  return out;
}

/** Drops what has expired by `nowMs`: that cookie is refused by its own lifetime now. */
export function pruneEntries(entries: RevocationEntries, nowMs: number): RevocationEntries {
  return new Map([...entries].filter(([, until]) => until > nowMs));
}

/**
 * At most `max` entries; beyond that the ones nearest their natural expiry go first (the
 * least protection lost), ties broken by hash so every replica drops the same ones.
 */
export function boundEntries(entries: RevocationEntries, max: number): RevocationEntries {
  if (entries.size <= max) return entries;
  const sorted = [...entries].sort(([ha, a], [hb, b]) => b - a || ha.localeCompare(hb));
  return new Map(sorted.slice(0, Math.max(0, max)));
}

/** What to write: the hub's entries plus ours, expired ones dropped, bounded. */
export function nextEntries(onHub: RevocationEntries, pending: RevocationEntries, nowMs: number, max = HUB_REVOCATIONS_CAPACITY) {
  return boundEntries(pruneEntries(mergeEntries(onHub, pending), nowMs), max);
}

/** The parts of the Secret this list reads; anything else about it is ignored. */
export const RevocationsSecret = z.object({
  metadata: z.object({ resourceVersion: z.string().optional() }),
  data: z.record(z.string(), z.string()).nullish(),
});
export type RevocationsSecret = z.infer<typeof RevocationsSecret>;

/** The Secret to create (no resourceVersion) or replace (with the one read: a precondition). */
export function revocationsSecret(namespace: string, entries: RevocationEntries, resourceVersion?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: REVOCATIONS_SECRET,
      namespace,
      ...(resourceVersion !== undefined && { resourceVersion }),
      labels: { 'app.kubernetes.io/managed-by': 'fleetdeck' },
      annotations: {
        'fleetdeck.dev/description': `sessions signed out before their cookie expired: ${RECORD_BYTES}-byte records (SHA-256 of the session id, uint32 big-endian expiry in epoch seconds)`,
      },
    },
    data: { [REVOCATIONS_KEY]: encodeEntries(entries) },
  };
}
