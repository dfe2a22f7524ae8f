import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import type { Leadership } from './contracts.ts';

export interface LeadershipDeps {
  config: Config;
  logger: Logger;
  /** The hub, as the BFF's own identity; absent in demo mode (the one process leads). */
  hubClient?: ImpersonatingClient;
  /** Holder identity; default POD_NAME, else host name + pid. */
  identity?: string;
}

// PLACEHOLDER (replaced by the lease module): always leads.
export function createLeadership(_deps: LeadershipDeps): Leadership {
  return {
    identity: `placeholder-${process.pid}`,
    isLeader: () => true,
    onChange: () => () => undefined,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
