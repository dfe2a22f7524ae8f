/**
 * Kubernetes conditions as the stand-ins write them: looked up by type (never position),
 * every field upstream requires present, the transition time kept while the status holds.
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** A condition as read from an object someone else wrote: any field may be missing. */
export type LooseCondition = Partial<Omit<Condition, 'status'>> & { status?: string };

export function setCondition(
  list: Condition[],
  type: string,
  status: Condition['status'],
  reason: string,
  now: string,
  generation?: number,
  message = '',
): void {
  const existing = list.find((c) => c.type === type);
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now,
    ...(generation !== undefined && { observedGeneration: generation }),
  };
  if (existing) list.splice(list.indexOf(existing), 1, next);
  else list.push(next);
}

export const findCondition = <C extends LooseCondition>(list: readonly C[] | undefined, type: string): C | undefined =>
  list?.find((c) => c.type === type);
export const isTrue = (list: readonly LooseCondition[] | undefined, type: string): boolean => findCondition(list, type)?.status === 'True';
