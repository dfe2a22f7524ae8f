import type { IncomingMessage, ServerResponse } from 'node:http';

import { parseLokiTime } from '@fleetdeck/shared';

/** An answer other than 200; Loki answers errors as plain text. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Loki accepts unix seconds or ns, float seconds or RFC 3339. */
export function parseTime(value: string | null, fallback: bigint): bigint {
  if (value === null || value === '') return fallback;
  const ns = parseLokiTime(value);
  if (ns === undefined) throw new HttpError(400, `invalid time ${JSON.stringify(value)}`);
  return ns;
}

export function parseLimit(value: string | null, fallback: number): number {
  const limit = Number(value ?? fallback);
  if (!Number.isInteger(limit) || limit <= 0) throw new HttpError(400, 'limit must be a positive integer');
  return limit;
}

export const json = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}
