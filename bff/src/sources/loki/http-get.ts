import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

import { TooLarge } from '../../lib/read-capped.ts';

/**
 * A GET over node:http(s) with the same contract as `fetch` + `readCappedBytes`: one
 * timeout for the whole call (body included), a byte cap (by Content-Length when given,
 * else while reading), redirects not followed (a 3xx is just a status). Loki's answers
 * are large (5,000 lines are about half a megabyte) and fetch's web streams cost about
 * 1.5 ms of CPU more per such answer than node's own streams.
 */

export interface GetResult {
  status: number;
  body: Buffer;
}

class Retry extends Error {}

export class HttpGetter {
  // Kept alive like fetch's pool: a new TCP connection per query would cost more than the reading.
  readonly #http = new HttpAgent({ keepAlive: true });
  readonly #https = new HttpsAgent({ keepAlive: true });

  async get(url: string, headers: Record<string, string>, timeoutMs: number, maxBytes: number): Promise<GetResult> {
    try {
      return await this.#once(url, headers, timeoutMs, maxBytes, { retried: false });
    } catch (err) {
      // A kept-alive connection the server closed as we reused it: a GET may go again, once.
      if (!(err instanceof Retry)) throw err;
      return this.#once(url, headers, timeoutMs, maxBytes, { retried: true });
    }
  }

  #once(url: string, headers: Record<string, string>, timeoutMs: number, maxBytes: number, o: { retried: boolean }): Promise<GetResult> {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    return new Promise<GetResult>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(u, { method: 'GET', headers, agent: secure ? this.#https : this.#http });
      const timer = setTimeout(() => {
        const err = new Error(`no answer within ${timeoutMs} ms`);
        err.name = 'TimeoutError';
        settle(err);
      }, timeoutMs);
      let settled = false;
      let responded = false;
      // Settles once; on an error the connection is dropped, so nothing more is read.
      const settle = (err: (Error & { code?: string }) | undefined, result?: GetResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!err) return resolve(result!);
        req.destroy();
        reject(!o.retried && req.reusedSocket && err.code === 'ECONNRESET' && !responded ? new Retry() : err);
      };
      req.on('error', (err) => settle(err));
      req.on('response', (res: IncomingMessage) => {
        responded = true;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) return settle(new TooLarge());
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) return settle(new TooLarge());
          chunks.push(chunk);
        });
        res.on('error', (err) => settle(err));
        res.on('aborted', () => settle(new Error('the connection closed before the answer ended')));
        res.on('end', () => settle(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks, bytes) }));
      });
      req.end();
    });
  }
}
