import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';

import { BFF_NODE_FLAGS } from '../../bff/src/runtime-flags.ts';
import type { TestbedEnv } from '../../testbed/src/index.ts';

export interface TestbedBffOptions {
  /** Which area starts it, for the error message. */
  label: string;
  /** Variables beside the common real-mode ones (e.g. `LOKI_URL`). */
  env?: Record<string, string>;
  /** The BFF's own folder (default: this repo's `bff/`), to measure another copy. */
  bffDir?: string;
  nodeFlags?: readonly string[];
  stdio?: StdioOptions;
  /** How long the first sync may take before we give up. */
  readyTimeoutMs: number;
}

/**
 * A BFF for a bench: real mode on the testbed (OIDC sign-in through its provider, the
 * inventory from its hub, so access policy and enforcers run as in production), serving
 * the built SPA, on its own port; resolves once /readyz answers.
 */
export async function startTestbedBff(
  env: TestbedEnv,
  repo: string,
  port: number,
  staticDir: string,
  options: TestbedBffOptions,
): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const bffDir = options.bffDir ?? join(repo, 'bff');
  const child = spawn(process.execPath, [...BFF_NODE_FLAGS, ...(options.nodeFlags ?? []), join(bffDir, 'src/main.ts')], {
    stdio: options.stdio ?? 'ignore',
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
      FLEETDECK_STATIC_DIR: staticDir,
      ...options.env,
    },
  });
  const deadline = Date.now() + options.readyTimeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the ${options.label} bench BFF did not become ready`);
}
