import { CSRF_HEADER, Problem } from '@fleetdeck/shared';
import type { z } from 'zod/mini';

/** An API answer that was not 2xx, carrying the BFF's problem JSON when there was one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail ?? problem?.title ?? fallback);
    this.status = status;
    this.problem = problem;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem | undefined;
  try {
    const parsed = Problem.safeParse(await res.json());
    problem = parsed.success ? parsed.data : undefined;
  } catch {
    problem = undefined;
  }
  return new ApiError(res.status, problem, `${res.status} ${res.statusText}`);
}

/** GET a BFF path and validate the answer against its schema from `shared/`. */
export async function getJson<S extends z.ZodMiniType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal: signal ?? null });
  if (!res.ok) throw await toApiError(res);
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) throw new ApiError(res.status, undefined, `unexpected answer from ${path}: ${parsed.error.message}`);
  return parsed.data;
}

/** A mutating call: carries the session's CSRF token; the browser adds Origin. */
export async function post(path: string, csrfToken: string, body?: unknown): Promise<Response> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!res.ok) throw await toApiError(res);
  return res;
}
