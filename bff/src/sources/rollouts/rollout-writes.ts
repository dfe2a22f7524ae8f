import type { ImpersonatingClient, KubeAnswer } from '../kube/impersonating-client.ts';
import { callAsPerson, refusal as refusalOf, succeeded, type ActionErrorOf, type PersonRequest } from '../kube/person-writes.ts';
import { RolloutActionError, type ActionContext } from './rollout-source.ts';

export { statusMessage } from '../kube/person-writes.ts';

/** Rollout routes answer hub refusals as RolloutActionErrors. */
export const rolloutError: ActionErrorOf<RolloutActionError> = (status, message) => new RolloutActionError(status, message);

/** The API server's refusal as a rollout route answers it (see person-writes.ts). */
export const refusal = (res: KubeAnswer, what: string): RolloutActionError => refusalOf(rolloutError, res, what);

export const ok = (res: KubeAnswer): boolean => succeeded(res);

/** One call as the person, for a rollout action. */
export function callAs<T = unknown>(
  writer: ImpersonatingClient,
  ctx: ActionContext,
  method: string,
  path: string,
  what: string,
  request: PersonRequest = {},
): Promise<KubeAnswer<T>> {
  return callAsPerson<T>(rolloutError, writer, ctx.principal, method, path, what, request);
}
