import type { ViolationAction } from '@fleetdeck/shared';

import { isRecord, list, str, type RawObject } from './raw-objects.ts';

/** What coverage needs of a Kyverno ClusterPolicy or Policy. */
export interface KyvernoPolicyInfo {
  name: string;
  namespace?: string;
  rules: string[];
  action: ViolationAction;
  /** `undefined` when the policy reports no readiness at all. */
  ready?: boolean;
}

/** What coverage needs of a Gatekeeper ConstraintTemplate. */
export interface TemplateInfo {
  kind: string;
  /** status.created: Gatekeeper made the constraint CRD from it. */
  created?: boolean;
}

const kyvernoAction = (v: unknown): ViolationAction | undefined => {
  const s = typeof v === 'string' ? v.toLowerCase() : undefined;
  return s === 'enforce' ? 'deny' : s === 'audit' ? 'audit' : undefined;
};

/**
 * Kyverno's validation failure action: `spec.validationFailureAction` (older), or per rule
 * `validate.failureAction` (1.13+). Any enforcing rule makes the policy enforce for coverage.
 */
export function kyvernoPolicyInfo(obj: RawObject): KyvernoPolicyInfo | undefined {
  const name = str(obj.metadata?.name);
  if (!name) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const rules = list(spec.rules).filter(isRecord);
  const ruleActions = rules.map((r) => (isRecord(r.validate) ? kyvernoAction(r.validate.failureAction) : undefined));
  const specAction = kyvernoAction(spec.validationFailureAction);
  // Kyverno's default is Audit when nothing is said.
  const actions = rules.length ? ruleActions.map((a) => a ?? specAction ?? 'audit') : [specAction ?? 'audit'];
  const action: ViolationAction = actions.includes('deny') ? 'deny' : 'audit';
  const status = isRecord(obj.status) ? obj.status : {};
  const ready = list(status.conditions)
    .filter(isRecord)
    .find((c) => c.type === 'Ready');
  const namespace = str(obj.metadata?.namespace);
  return {
    name,
    ...(namespace && { namespace }),
    rules: rules.map((r) => str(r.name)).filter((n): n is string => !!n),
    action,
    ...(ready ? { ready: ready.status === 'True' } : typeof status.ready === 'boolean' ? { ready: status.ready } : {}),
  };
}

export function templateInfo(obj: RawObject): TemplateInfo | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const crd = isRecord(spec.crd) && isRecord(spec.crd.spec) ? spec.crd.spec : {};
  const kind = (isRecord(crd.names) ? str(crd.names.kind) : undefined) ?? str(obj.metadata?.name);
  if (!kind) return undefined;
  const status = isRecord(obj.status) ? obj.status : {};
  return { kind, ...(typeof status.created === 'boolean' && { created: status.created }) };
}
