import type { ActionContext } from '../../rollouts/rollout-source.ts';
import { RolloutActionError } from '../../rollouts/rollout-source.ts';
import { UpstreamFailure, type ImpersonatingClient, type KubeAnswer } from '../../kube/impersonating-client.ts';

/** A Kubernetes Status message, shortened; the person acted on this object, so its words are theirs to read. */
export function statusMessage(body: unknown): string {
  const m = body !== null && typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  return typeof m === 'string' && m ? m.slice(0, 300) : 'no reason given';
}

/** The API server's refusal as the route answers it: 403, 404, 409 as they are, anything else 502. */
export function refusal(res: KubeAnswer, what: string): RolloutActionError {
  if (res.status === 403) return new RolloutActionError(403, `Kubernetes refused ${what}: ${statusMessage(res.body)}`);
  if (res.status === 404) return new RolloutActionError(404, `${what}: not found (it may have been deleted)`);
  if (res.status === 409) return new RolloutActionError(409, `${what}: the object changed meanwhile; try again`);
  if (res.status === 422) return new RolloutActionError(422, `Kubernetes rejected ${what}: ${statusMessage(res.body)}`);
  return new RolloutActionError(502, `Kubernetes answered ${res.status} to ${what}`);
}

export const ok = (res: KubeAnswer): boolean => res.status >= 200 && res.status < 300;

/** One call as the person; a transport failure becomes a 502 with a short message, never a stack. */
export async function callAs<T = unknown>(
  writer: ImpersonatingClient,
  ctx: ActionContext,
  method: string,
  path: string,
  what: string,
  options: { body?: unknown; contentType?: string } = {},
): Promise<KubeAnswer<T>> {
  try {
    return await writer.request<T>(ctx.principal, method, path, options);
  } catch (err) {
    const reason = err instanceof UpstreamFailure ? err.message : 'the hub is not reachable';
    throw new RolloutActionError(502, `${what}: ${reason}`);
  }
}
