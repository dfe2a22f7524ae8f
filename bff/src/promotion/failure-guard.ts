import type { AuditSink } from '../audit/audit-log.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import type { RolloutService } from '../sources/rollouts/rollout-service.ts';
import type { Leadership, Notifier, ReadinessService } from './contracts.ts';

export interface FailureGuardDeps {
  config: Config;
  logger: Logger;
  rollouts: RolloutService;
  readiness: ReadinessService;
  leadership: Leadership;
  notifier: Notifier;
  audit: AuditSink;
  /** The hub as the BFF's own identity (the guard acts on behalf of the rule, not of a person). */
  hubClient?: ImpersonatingClient;
}

// PLACEHOLDER (replaced by the failure-guard module).
export function startFailureGuard(_deps: FailureGuardDeps): () => void {
  return () => undefined;
}
