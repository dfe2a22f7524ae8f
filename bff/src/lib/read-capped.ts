/** An upstream answered more than the caller's byte budget. */
export class TooLarge extends Error {
  override name = 'TooLarge';
}

/**
 * A fetch response's body as text, refused past `maxBytes` (by its Content-Length when it
 * says so, else while streaming), so a runaway answer never fills the BFF's memory.
 */
export async function readCapped(res: Response, maxBytes: number): Promise<string> {
  return (await readCappedBytes(res, maxBytes)).toString('utf8');
}

/** `readCapped`'s bytes, undecoded (for callers that pass them on as they came). */
export async function readCappedBytes(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel();
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
