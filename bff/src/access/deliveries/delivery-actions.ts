import type { AuditRecord, DeliveryActionResult, DeliverySummary, Principal } from '@fleetdeck/shared';

import { HttpProblem } from '../../lib/problem.ts';
import { DeliveryActionError, type DeliveryActions, type SourceDelivery } from '../../sources/gitops/delivery-source.ts';
import type { ActionContext } from '../../sources/rollouts/rollout-source.ts';
import type { Services } from '../../services.ts';
import type { ScopedDelivery } from './delivery-scope.ts';

export type DeliveryActionKind = 'force-update' | 'pause' | 'resume' | 'sync' | 'refresh';

/** The one answer for a delivery that does not exist and for one the person may not see. */
export const deliveryNotFound = () => new HttpProblem(404, 'no such delivery');

const CAN: Record<DeliveryActionKind, keyof DeliverySummary['can']> = {
  'force-update': 'forceUpdate',
  pause: 'pause',
  resume: 'pause',
  sync: 'sync',
  refresh: 'refresh',
};

const ENGINE = { fleet: 'a Fleet GitRepo', argocd: 'an Argo CD application' } as const;
const lacks = (kind: DeliveryActionKind, d: Pick<DeliverySummary, 'engine'>) =>
  `${ENGINE[d.engine]} has no ${kind.replace('-', ' ')}${d.engine === 'fleet' ? ' (force update it instead)' : ' (sync it instead)'}`;

export interface ActionRequest {
  services: Services;
  principal: Principal;
  requestId: string;
  id: string;
  kind: DeliveryActionKind;
  /** What the person asked for, for the audit ("revision main, prune"). */
  asked?: string;
}

type Run = (actions: DeliveryActions, ctx: ActionContext, d: SourceDelivery) => Promise<DeliveryActionResult> | undefined;

/** An audit recorder for one request: who, which action, which target; to the log and as an Event on the object. */
export function auditFor(req: Pick<ActionRequest, 'services' | 'principal' | 'requestId'>) {
  return (
    action: AuditRecord['action'],
    target: string,
    result: AuditRecord['result'],
    detail: string | undefined,
    d?: Pick<SourceDelivery, 'tenant' | 'object'>,
  ) =>
    req.services.audit.record(
      {
        requestId: req.requestId,
        actor: req.principal.user,
        groups: req.principal.groups,
        action,
        target,
        ...(d?.tenant !== undefined && { tenant: d.tenant }),
        result,
        ...(detail !== undefined && { detail }),
      },
      d?.object,
    );
}

/**
 * One delivery action: find it as the person sees it (404 alike for missing and hidden),
 * 409 when its engine has no such action, 403 with the reason when the person may not,
 * then the owning source writes it as the person; every outcome audited.
 */
export async function runAction(req: ActionRequest, scoped: ScopedDelivery | undefined, run: Run): Promise<DeliveryActionResult> {
  const record = auditFor(req);
  const detail = (text: string) => [req.asked, text].filter(Boolean).join(' — ');
  if (!scoped) {
    // Recorded the same way whether it exists or not: the actor reads their own records.
    record(req.kind, req.id, 'denied', detail('no such delivery'));
    throw deliveryNotFound();
  }
  const d = scoped.source;
  const why = scoped.summary.can[CAN[req.kind]];
  const source = req.services.deliveries.sourceFor(d.id);
  if (!source) throw deliveryNotFound();
  if (why === undefined) {
    record(req.kind, d.id, 'failure', detail(lacks(req.kind, d)), d);
    throw new HttpProblem(409, lacks(req.kind, d));
  }
  if (why !== '') {
    record(req.kind, d.id, 'denied', detail(why), d);
    throw new HttpProblem(403, `you may not ${req.kind.replace('-', ' ')} ${d.name}: ${why}`);
  }
  let result: DeliveryActionResult;
  try {
    const pending = run(source.actions, { principal: req.principal, requestId: req.requestId }, d);
    if (!pending) {
      record(req.kind, d.id, 'failure', detail(lacks(req.kind, d)), d);
      throw new HttpProblem(409, lacks(req.kind, d));
    }
    result = await pending;
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    if (err instanceof DeliveryActionError) {
      record(req.kind, d.id, err.status === 403 ? 'denied' : 'failure', detail(err.message), d);
      throw new HttpProblem(err.status, err.message);
    }
    record(req.kind, d.id, 'failure', detail('upstream failed'), d);
    throw new HttpProblem(502, 'upstream failed', { cause: err });
  }
  record(req.kind, d.id, result.outcome === 'done' ? 'success' : 'no-op', detail(result.message), d);
  return result;
}
