import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { BFF_NODE_FLAGS } from '../../bff/src/runtime-flags.ts';
import type { TestbedEnv } from '../../testbed/src/index.ts';

/**
 * The logs bench's BFF: real mode on the testbed (OIDC sign-in, inventory from the hub, so
 * the access policy and the LogQL enforcer run as in production) with `LOKI_URL` pointing
 * at the testbed's Loki-API stand-in, serving the built SPA, on its own port.
 */
export async function startLogsBff(env: TestbedEnv, repo: string, port: number, staticDir: string): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...BFF_NODE_FLAGS, join(repo, 'bff/src/main.ts')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      FLEETDECK_MODE: 'real',
      SESSION_SECRET: 'bench-only-secret-bench-only-secret-0000',
      OIDC_ISSUER_URL: env.oidc.issuer,
      OIDC_CLIENT_ID: env.oidc.clientId,
      OIDC_CLIENT_SECRET: env.oidc.clientSecret,
      OIDC_REDIRECT_URL: `${base}/api/auth/callback`,
      OIDC_ALLOW_INSECURE_HTTP: 'true',
      FLEETDECK_INVENTORY_SOURCES: 'kubefleet',
      FLEETDECK_HUB_KUBECONFIG: env.hub.bffKubeconfig,
      LOKI_URL: env.loki.url,
      FLEETDECK_STATIC_DIR: staticDir,
    },
  });
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the logs bench BFF did not become ready');
}
