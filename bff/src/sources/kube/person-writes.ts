import type { Principal } from '@fleetdeck/shared';

import { UpstreamFailure, type ImpersonatingClient, type KubeAnswer } from './impersonating-client.ts';

/**
 * Writes on the hub made as the person (impersonated, so the API server's RBAC decides as
 * well as ours), shared by every area that changes hub objects: rollouts (KubeFleet, Fleet
 * bundles, Argo CD RollingSync) and deliveries (Fleet GitRepos, Argo CD Applications). Each
 * area makes its own route error from a status and a message (`ActionErrorOf`).
 */
export type ActionErrorOf<E extends Error = Error> = (status: 403 | 404 | 409 | 422 | 502, message: string) => E;

/** A Kubernetes Status message, shortened: the person acted on this object, so its words are theirs to read. */
export function statusMessage(body: unknown): string {
  const m = body !== null && typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  return typeof m === 'string' && m ? m.slice(0, 300) : 'no reason given';
}

export const succeeded = (res: Pick<KubeAnswer, 'status'>): boolean => res.status >= 200 && res.status < 300;

/** The API server's refusal as the route answers it: 403, 404, 409 and 422 as they are, anything else 502. */
export function refusal<E extends Error>(errorOf: ActionErrorOf<E>, res: Pick<KubeAnswer, 'status' | 'body'>, what: string): E {
  if (res.status === 403) return errorOf(403, `Kubernetes refused ${what}: ${statusMessage(res.body)}`);
  if (res.status === 404) return errorOf(404, `${what}: not found on the hub (it may have been deleted)`);
  if (res.status === 409) return errorOf(409, `${what}: the object kept changing meanwhile; try again`);
  if (res.status === 422) return errorOf(422, `Kubernetes rejected ${what}: ${statusMessage(res.body)}`);
  return errorOf(502, `Kubernetes answered ${res.status} to ${what}`);
}

export interface PersonRequest {
  body?: unknown;
  contentType?: string;
}

/** One request as the person; a hub that does not answer is a 502 with a short reason, never a stack. */
export async function callAsPerson<T = unknown>(
  errorOf: ActionErrorOf,
  writer: ImpersonatingClient,
  principal: Principal,
  method: string,
  path: string,
  what: string,
  request: PersonRequest = {},
): Promise<KubeAnswer<T>> {
  try {
    return await writer.request<T>(principal, method, path, request);
  } catch (err) {
    if (err instanceof UpstreamFailure) throw errorOf(502, `${what}: the hub did not answer (${err.message})`);
    throw err;
  }
}

/** What to write back, if anything, and what to answer. */
export interface Decision<T, R> {
  next: T | undefined;
  result: R;
}

export interface UpdateOptions {
  errorOf: ActionErrorOf;
  writer: ImpersonatingClient;
  principal: Principal;
  /** Read-decide-write rounds before giving up with a 409 (each conflict reads again). */
  tries?: number;
}

/**
 * Read, decide, write back (PUT) with the read resourceVersion, as the person; a conflict
 * (409: someone else wrote meanwhile, maybe another replica acting on the same click)
 * reads again and decides again, so nothing is applied twice nor lost. `decide` may throw
 * the area's own error to refuse. Nothing to write (`next` undefined) writes nothing.
 */
export async function updateAsPerson<T, R>(
  options: UpdateOptions,
  path: string,
  what: string,
  decide: (current: T) => Decision<T, R>,
): Promise<R> {
  const { errorOf, writer, principal } = options;
  for (let attempt = 0; attempt < (options.tries ?? 4); attempt++) {
    const current = await callAsPerson<T>(errorOf, writer, principal, 'GET', path, what);
    if (!succeeded(current)) throw refusal(errorOf, current, what);
    const { next, result } = decide(current.body);
    if (next === undefined) return result;
    const res = await callAsPerson(errorOf, writer, principal, 'PUT', path, what, { body: next });
    if (res.status === 409) continue;
    if (!succeeded(res)) throw refusal(errorOf, res, what);
    return result;
  }
  throw refusal(errorOf, { status: 409, body: undefined }, what);
}
