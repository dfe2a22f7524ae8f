import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { down, up } from '@fleetdeck/testbed';
import { BFF_NODE_FLAGS } from '../bff/src/runtime-flags.ts';

export const TESTBED_PORT = Number(process.env.E2E_TESTBED_PORT ?? 18081);
const repo = fileURLToPath(new URL('..', import.meta.url));
// E2E_TESTBED_RUN_DIR: a second run on the same machine keeps its own testbed.
const runDir = process.env.E2E_TESTBED_RUN_DIR ?? `${repo}.testbed-e2e`;
export const TESTBED_ENV_FILE = `${runDir}/e2e-env.json`;

/** The projects named on the command line (`--project demo`, `--project=demo`), or undefined for all. */
function selectedProjects(argv: readonly string[]): string[] | undefined {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
    else if (arg === '--project') {
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) names.push(argv[++i]!);
    }
  }
  return names.length > 0 ? names : undefined;
}

/**
 * The testbed journeys run the real BFF in real mode against the testbed: OIDC sign-in
 * through the testbed provider's own login form, inventory from the real hub.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Only the demo journeys: no testbed to bring up.
  const projects = selectedProjects(process.argv);
  if (projects && !projects.includes('testbed')) return () => Promise.resolve();
  const base = `http://127.0.0.1:${TESTBED_PORT}`;
  const env = await up({ runDir, parentPid: process.pid, redirectUris: [`${base}/api/auth/callback`] });
  const bff = spawn(process.execPath, [...BFF_NODE_FLAGS, `${repo}bff/src/main.ts`], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: String(TESTBED_PORT),
      LOG_LEVEL: 'warn',
      FLEETDECK_MODE: 'real',
      SESSION_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-000',
      OIDC_ISSUER_URL: env.oidc.issuer,
      OIDC_CLIENT_ID: env.oidc.clientId,
      OIDC_CLIENT_SECRET: env.oidc.clientSecret,
      OIDC_REDIRECT_URL: `${base}/api/auth/callback`,
      OIDC_ALLOW_INSECURE_HTTP: 'true',
      FLEETDECK_INVENTORY_SOURCES: 'kubefleet',
      FLEETDECK_HUB_KUBECONFIG: env.hub.bffKubeconfig,
      PROMETHEUS_URL: env.prometheus.url,
      LOKI_URL: env.loki.url,
      FLEETDECK_SPOKE_KUBECONFIGS: env.spokes.map((s) => `${s.name}=${s.bffKubeconfig}`).join(','),
      FLEETDECK_STATIC_DIR: `${repo}web/dist`,
    },
  });
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break;
    if (i > 300) throw new Error('the real-mode BFF did not become ready for the testbed journeys');
    await new Promise((r) => setTimeout(r, 100));
  }
  writeFileSync(TESTBED_ENV_FILE, JSON.stringify(env));
  return async () => {
    bff.kill('SIGTERM');
    await down(runDir);
  };
}
