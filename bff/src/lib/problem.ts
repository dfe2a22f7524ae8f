import type { Response } from 'express';
import type { z } from 'zod';

import type { Problem } from '@fleetdeck/shared';

import { asciiJson } from './ascii-json.ts';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Upstream error',
  503: 'Unavailable',
};

/**
 * Thrown anywhere in a request; the error middleware turns it into problem JSON. The
 * `cause` (an upstream's own error, with its addresses and wording) is logged with the
 * request id and never sent: the browser gets `detail` and the request id to quote.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly errors: Problem['errors'];

  constructor(status: number, detail: string, options: { type?: string; errors?: Problem['errors']; cause?: unknown } = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.type = options.type ?? 'about:blank';
    this.errors = options.errors;
  }
}

export function badRequestFromZod(where: 'query' | 'body' | 'params', error: z.ZodError): HttpProblem {
  const errors = error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    const keys = issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message;
    return { path, message: keys };
  });
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new HttpProblem(400, detail, { errors, type: 'https://fleetdeck.dev/problems/validation' });
}

export function sendProblem(res: Response, problem: Omit<Problem, 'title'> & { title?: string }): void {
  const body: Problem = {
    type: problem.type,
    title: problem.title ?? TITLES[problem.status] ?? 'Error',
    status: problem.status,
    ...(problem.detail !== undefined && { detail: problem.detail }),
    ...(problem.instance !== undefined && { instance: problem.instance }),
    ...(problem.requestId !== undefined && { requestId: problem.requestId }),
    ...(problem.errors !== undefined && { errors: problem.errors }),
  };
  res.status(problem.status).type('application/problem+json').send(asciiJson(body));
}
