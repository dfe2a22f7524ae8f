import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

import { down, up } from '@fleetdeck/testbed';
import { BFF_NODE_FLAGS } from '../bff/src/runtime-flags.ts';

export const TESTBED_PORT = Number(process.env.E2E_TESTBED_PORT ?? 18081);
const repo = fileURLToPath(new URL('..', import.meta.url));
// E2E_TESTBED_RUN_DIR: a second run on the same machine keeps its own testbed.
const runDir = process.env.E2E_TESTBED_RUN_DIR ?? `${repo}.testbed-e2e`;
export const TESTBED_ENV_FILE = `${runDir}/e2e-env.json`;
/** The replicas' pids and ports, for the failover journey. */
export const TESTBED_REPLICAS_FILE = `${runDir}/e2e-replicas.json`;

/**
 * A TCP balancer in front of the replicas: each connection goes to the first replica that
 * accepts it, so when one dies the next connection (an EventSource reconnecting) reaches another.
 */
function startFailoverProxy(port: number, upstreams: readonly number[]): Promise<Server> {
  const server = createServer((client) => {
    const tryAt = (i: number) => {
      if (i >= upstreams.length) return client.destroy();
      const upstream = connect(upstreams[i]!, '127.0.0.1');
      upstream.once('connect', () => {
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      upstream.once('error', () => tryAt(i + 1));
    };
    // Held until an upstream accepts: pipe() resumes it, so nothing the browser sent is lost.
    client.pause();
    tryAt(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

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
  // Two replicas behind one address, as behind a Service: the journeys reach either, and
  // failover.spec.ts kills the first mid-stream.
  const replica = (port: number) =>
    spawn(process.execPath, [...BFF_NODE_FLAGS, `${repo}bff/src/main.ts`], {
      stdio: 'inherit',
      env: {
        ...process.env,
        PORT: String(port),
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
  const ports = [TESTBED_PORT + 100, TESTBED_PORT + 101];
  const bffs = ports.map(replica);
  for (const port of ports)
    for (let i = 0; ; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok) break;
      if (i > 300) throw new Error('a real-mode BFF replica did not become ready for the testbed journeys');
      await new Promise((r) => setTimeout(r, 100));
    }
  const balancer = await startFailoverProxy(TESTBED_PORT, ports);
  writeFileSync(TESTBED_REPLICAS_FILE, JSON.stringify({ pids: bffs.map((b) => b.pid), ports }));
  writeFileSync(TESTBED_ENV_FILE, JSON.stringify(env));
  return async () => {
    for (const b of bffs) b.kill('SIGTERM');
    balancer.close();
    await down(runDir);
  };
}
