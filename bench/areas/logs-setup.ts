import type { ChildProcess } from 'node:child_process';

import type { TestbedEnv } from '../../testbed/src/index.ts';
import { startTestbedBff } from '../lib/testbed-bff.ts';

/**
 * The logs bench's BFF: real mode on the testbed (OIDC sign-in, inventory from the hub, so
 * the access policy and the LogQL enforcer run as in production) with `LOKI_URL` pointing
 * at the testbed's Loki-API stand-in, serving the built SPA, on its own port.
 */
export function startLogsBff(env: TestbedEnv, repo: string, port: number, staticDir: string): Promise<ChildProcess> {
  return startTestbedBff(env, repo, port, staticDir, {
    label: 'logs',
    env: { LOKI_URL: env.loki.url },
    stdio: ['ignore', 'ignore', 'inherit'],
    readyTimeoutMs: 60_000,
  });
}
