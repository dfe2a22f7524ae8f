import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Event ids that say nothing: the fleet-wide sequence number, sealed with AES-256-GCM
 * under a key only this process holds and a random nonce per id. Two ids never reveal
 * how many events (of anyone's) lie between them, and an id from another process (or
 * a forged one) does not open, which means "resync".
 */
export class OpaqueIds {
  readonly #key = randomBytes(32);

  // Layout: 12-byte nonce | 8-byte sealed sequence | 16-byte tag.
  seal(seq: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const plain = Buffer.alloc(8);
    plain.writeBigUInt64BE(BigInt(seq));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  open(id: string): number | undefined {
    const raw = Buffer.from(id, 'base64url');
    if (raw.length !== 36) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(20));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, 20)), decipher.final()]);
      return Number(plain.readBigUInt64BE());
    } catch {
      return undefined;
    }
  }
}
