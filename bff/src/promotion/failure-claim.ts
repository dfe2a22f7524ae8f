import type { ObjectRef } from '../audit/kube-events.ts';
import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import { FAILURE_ANNOTATIONS, acting, actingSince } from './failure-decision.ts';

/** Why a claim did not go to this replica, or that it did. */
export type ClaimResult = 'claimed' | 'taken' | 'gone';

const PLURALS: Record<string, string> = {
  ClusterStagedUpdateRun: 'clusterstagedupdateruns',
  StagedUpdateRun: 'stagedupdateruns',
  Bundle: 'bundles',
};

/** The API path of the object behind a rollout (its apiVersion names group and version). */
export function objectPath(o: ObjectRef): string {
  const plural = PLURALS[o.kind] ?? `${o.kind.toLowerCase()}s`;
  const ns = o.namespace ? `/namespaces/${encodeURIComponent(o.namespace)}` : '';
  return `/apis/${o.apiVersion}${ns}/${plural}/${encodeURIComponent(o.name)}`;
}

interface Meta {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string> };
}

/**
 * Claims a failure on the object itself, as the BFF: read it, and unless the claim is
 * already there, write the annotation with the read resourceVersion as precondition. A
 * 409 re-reads (the controller writes status all the time): when the claim then is there,
 * another replica (or an earlier attempt) has it; otherwise the write is tried again. So
 * across replicas, restarts and leadership changes one claim succeeds at a time; a claim
 * whose progress is still `acting` after `staleMs` was abandoned (its replica died between
 * the steps) and is taken over, the steps being idempotent.
 */
export async function claimFailure(
  hub: ImpersonatingClient,
  object: ObjectRef,
  key: string,
  options: { now?: () => Date; staleMs?: number; attempts?: number } = {},
): Promise<ClaimResult> {
  const path = objectPath(object);
  const now = options.now ?? (() => new Date());
  for (let i = 0; i < (options.attempts ?? 5); i++) {
    const read = await hub.requestAsSelf<Meta>('GET', path);
    if (read.status === 404) return 'gone';
    if (read.status !== 200) throw new Error(`reading ${object.kind} ${object.name} answered ${read.status}`);
    const annotations = read.body.metadata?.annotations;
    if (annotations?.[FAILURE_ANNOTATIONS.handled] === key) {
      // Taken, unless the claimer abandoned it mid-way (still acting long after it began): take it over.
      const since = actingSince(annotations[FAILURE_ANNOTATIONS.progress]);
      if (since === undefined || options.staleMs === undefined || since > now().getTime() - options.staleMs) return 'taken';
    }
    const res = await hub.requestAsSelf('PATCH', path, {
      body: {
        metadata: {
          resourceVersion: read.body.metadata?.resourceVersion,
          annotations: { [FAILURE_ANNOTATIONS.handled]: key, [FAILURE_ANNOTATIONS.progress]: acting(now()) },
        },
      },
      contentType: 'application/merge-patch+json',
    });
    if (res.status === 200) return 'claimed';
    if (res.status === 404) return 'gone';
    if (res.status !== 409) throw new Error(`claiming ${object.kind} ${object.name} answered ${res.status}`);
  }
  throw new Error(`claiming ${object.kind} ${object.name}: it kept changing`);
}

/** Marks a claim's steps finished, so no leader resumes it. */
export async function finishFailure(hub: ImpersonatingClient, object: ObjectRef): Promise<void> {
  const res = await hub.requestAsSelf('PATCH', objectPath(object), {
    body: { metadata: { annotations: { [FAILURE_ANNOTATIONS.progress]: 'done' } } },
    contentType: 'application/merge-patch+json',
  });
  if (res.status !== 200 && res.status !== 404) throw new Error(`marking ${object.kind} ${object.name} handled answered ${res.status}`);
}
