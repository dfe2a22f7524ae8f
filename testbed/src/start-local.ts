/**
 * `npm run start:local`: the testbed's real fleet, and the BFF in real mode against it
 * (OIDC sign-in through the testbed's provider, inventory from the hub's
 * MemberClusters), serving the built SPA. Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { down, up } from './index.ts';
import { BFF_NODE_FLAGS } from '../../bff/src/runtime-flags.ts';

const port = Number(process.env.PORT ?? 8080);
const base = `http://127.0.0.1:${port}`;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const say = (line: string) => process.stderr.write(`[start:local] ${line}\n`);

say('starting the testbed (the first run builds kube-apiserver and etcd; later runs reuse them)…');
const env = await up({ parentPid: process.pid, redirectUris: [`${base}/api/auth/callback`], onLog: (l) => say(l) });

const bff = spawn(process.execPath, [...BFF_NODE_FLAGS, `${repo}bff/src/main.ts`], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: String(port),
    FLEETDECK_MODE: 'real',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    OIDC_ISSUER_URL: env.oidc.issuer,
    OIDC_CLIENT_ID: env.oidc.clientId,
    OIDC_CLIENT_SECRET: env.oidc.clientSecret,
    OIDC_REDIRECT_URL: `${base}/api/auth/callback`,
    OIDC_POST_LOGOUT_REDIRECT_URL: `${base}/login`,
    // The testbed's provider listens on plain HTTP on loopback.
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    FLEETDECK_INVENTORY_SOURCES: 'kubefleet',
    FLEETDECK_HUB_KUBECONFIG: env.hub.bffKubeconfig,
    FLEETDECK_STATIC_DIR: `${repo}web/dist`,
    PROMETHEUS_URL: env.prometheus.url,
    FLEETDECK_SPOKE_KUBECONFIGS: env.spokes.map((s) => `${s.name}=${s.bffKubeconfig}`).join(','),
  },
});
say(`open ${base} and sign in as ${env.oidc.users.map((u) => u.user).join(', ')} (password: ${env.oidc.users[0]?.password})`);

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  bff.kill('SIGTERM');
  await down();
  process.exit(code);
};
bff.on('exit', (code) => void stop(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0));
