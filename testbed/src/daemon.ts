/**
 * The testbed daemon: starts the whole local fleet, writes `env.json`, prints
 * `TESTBED READY <path>`, and stops everything on SIGTERM/SIGINT or when the process
 * that asked for it (--parent) is gone. It runs in its own process group, so `down`
 * (or the next `up`, finding a stale one) can end it and every server it started.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { DEMO_USERS } from '@fleetdeck/shared';

import { resolveKubeBinaries, versionOf } from './binaries.ts';
import type { ApiServerEnv, TestbedEnv } from './env.ts';
import { HUB_CRDS, SPOKE_CRDS } from './kube/crds.ts';
import { applySeed, installCrds } from './kube/install.ts';
import { createCertificateAuthority, serviceAccountKeyPair } from './kube/pki.ts';
import { BFF_GROUP, BFF_USER, roleObjects } from './kube/rbac.ts';
import { SPOKES, TENANTS, fleetClusters, hubSeed, spokeSeed } from './kube/seed.ts';
import { LOKI_STANDIN_VERSION, startLokiStandin } from './loki/index.ts';
import { startOidcProvider } from './idp/provider.ts';
import { startEtcd } from './parts/etcd.ts';
import { kubeconfig, startApiServer, type ApiServer } from './parts/kube-apiserver.ts';
import { seedLogs } from './parts/logs.ts';
import type { Service } from './proc/service.ts';
import { startPrometheus } from './prom/start.ts';
import { spawnStandins } from './standins.ts';

const { values } = parseArgs({
  options: {
    'run-dir': { type: 'string' },
    parent: { type: 'string' },
    'seconds-per-cluster': { type: 'string', default: '0.5' },
    'redirect-uri': { type: 'string', multiple: true },
    'loki-multi-tenant': { type: 'boolean', default: false },
  },
});
const runDir = values['run-dir'];
if (!runDir) throw new Error('daemon: --run-dir is required');
mkdirSync(runDir, { recursive: true });
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...extra })}\n`);

const stops: { name: string; stop: () => Promise<void> }[] = [];
let stopping: Promise<void> | undefined;
function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    log('stopping testbed', { reason });
    // Reverse start order: API servers before etcd.
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log('stop failed', { name, error: (err as Error).message });
      }
    }
    log('testbed stopped');
  })();
  return stopping;
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
  process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));

const parent = values.parent ? Number(values.parent) : undefined;
if (parent) {
  // Tie our life to the test run that started us, even if it dies without cleaning up.
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void shutdown(`parent ${parent} is gone`).then(() => process.exit(0));
    }
  }, 1000).unref();
}

const track = (name: string, service: Service) => stops.push({ name, stop: () => service.stop() });

async function main(): Promise<void> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => (timings[name] = Math.round((Date.now() - since) / 100) / 10);

  const binDir = resolveKubeBinaries((line) => log(line));
  lap('binaries', t0);

  const pkiDir = join(runDir!, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const ca = await createCertificateAuthority('fleetdeck-testbed-ca');
  const admin = await ca.sign({ commonName: 'testbed-admin', organizations: ['system:masters'], client: true });
  const bff = await ca.sign({ commonName: BFF_USER, organizations: [BFF_GROUP], client: true });
  const monitoring = await ca.sign({ commonName: 'testbed-prometheus', organizations: ['system:monitoring'], client: true });
  const write = (name: string, content: string) => {
    const p = join(pkiDir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const caFile = write('ca.crt', ca.cert);
  const caKeyFile = write('ca.key', ca.key);
  const sa = serviceAccountKeyPair();

  const t1 = Date.now();
  const etcd = await startEtcd(join(binDir, 'etcd'), runDir!);
  track('etcd', etcd.service);
  lap('etcd', t1);

  const t2 = Date.now();
  const names = ['hub', ...SPOKES];
  const startServer = (name: string, port?: number) =>
    startApiServer({
      bin: join(binDir, 'kube-apiserver'),
      name,
      runDir: runDir!,
      etcdUrl: etcd.url,
      ca,
      admin,
      serviceAccount: sa,
      ...(port && { port }),
    });
  const servers: ApiServer[] = await Promise.all(names.map((name) => startServer(name)));
  // Stops go through this map, so a restarted server is the one stopped at the end.
  const running = new Map(servers.map((s) => [s.name, s]));
  for (const s of servers) stops.push({ name: `kube-apiserver/${s.name}`, stop: () => running.get(s.name)!.service.stop() });
  lap('apiservers', t2);

  const t3 = Date.now();
  const now = new Date();
  const clusters = fleetClusters(now);
  const [hub, ...spokes] = servers as [ApiServer, ...ApiServer[]];
  await Promise.all([
    (async () => {
      await installCrds(hub.admin, HUB_CRDS);
      await applySeed(hub.admin, [...roleObjects('hub', TENANTS).map((object) => ({ object })), ...hubSeed(clusters)]);
    })(),
    ...spokes.map(async (spoke) => {
      await installCrds(spoke.admin, SPOKE_CRDS);
      const cluster = clusters.find((c) => c.name === spoke.name)!;
      await applySeed(spoke.admin, [...roleObjects('spoke', TENANTS).map((object) => ({ object })), ...spokeSeed(cluster)]);
    }),
  ]);
  lap('seed', t3);

  const apiEnv = (s: ApiServer): ApiServerEnv => ({
    name: s.name,
    role: s.name === 'hub' ? 'hub' : 'spoke',
    url: s.url,
    caFile: s.caFile,
    bffKubeconfig: write(`${s.name}-bff.kubeconfig`, kubeconfig(s.name, s.url, ca.cert, BFF_USER, bff)),
    adminKubeconfig: write(`${s.name}-admin.kubeconfig`, kubeconfig(s.name, s.url, ca.cert, 'testbed-admin', admin)),
    etcdPrefix: `/${s.name}`,
  });
  const hubEnv = apiEnv(hub);

  const t4 = Date.now();
  const oidcClientSecret = randomBytes(24).toString('base64url');
  const redirectUris = values['redirect-uri'] ?? [
    'http://127.0.0.1:8080/api/auth/callback',
    'http://localhost:8080/api/auth/callback',
    'http://127.0.0.1:18080/api/auth/callback',
    // The benchmarks run their BFF here, clear of the e2e demo server on 18080.
    'http://127.0.0.1:18082/api/auth/callback',
    // Integration tests run a real-mode BFF here.
    'http://127.0.0.1:18090/api/auth/callback',
  ];
  const [prometheus, loki, oidc] = await Promise.all([
    startPrometheus({
      runDir: runDir!,
      clusters: clusters.map((c) => ({ name: c.name, tenant: c.tenant, env: c.environment, nodes: c.nodeCount ?? 1 })),
      now,
      // The operators' rules file, its recorded series backfilled over the seeded history (health.recordingRules).
      recordingRules: fileURLToPath(new URL('../../deploy/prometheus/fleetdeck-recording-rules.yaml', import.meta.url)),
      // The seeded series go on live (else instant queries are empty five minutes after start);
      // Gatekeeper's counts are left to the tests that feed them.
      live: { skip: ['gatekeeper_violations'] },
      // The real API servers' own metrics too, read with a certificate of the built-in system:monitoring group.
      apiservers: {
        servers: servers.map((s) => ({ name: s.name, url: s.url })),
        tls: { caFile, certFile: write('prometheus.crt', monitoring.cert), keyFile: write('prometheus.key', monitoring.key) },
      },
    }),
    startLokiStandin({ port: 0, multiTenant: values['loki-multi-tenant'] }),
    startOidcProvider({
      port: 0,
      users: DEMO_USERS.map((u) => ({ user: u.user, password: 'testbed', groups: [...u.groups] })),
      clients: [{ clientId: 'fleetdeck', clientSecret: oidcClientSecret, redirectUris }],
    }),
  ]);
  stops.push(
    { name: 'prometheus', stop: () => prometheus.close() },
    { name: 'loki-standin', stop: () => loki.close() },
    { name: 'oidc', stop: () => oidc.close() },
  );
  seedLogs(loki, clusters, now);
  lap('observability', t4);

  // Tests restart an API server to prove watches resume, and change a person at the
  // identity provider (POST /idp/groups {user, groups}, POST /idp/disabled {user, disabled})
  // to prove sessions follow; nothing else uses this.
  const control = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control.invalid');
    if (req.method === 'POST' && (url.pathname === '/idp/groups' || url.pathname === '/idp/disabled')) {
      void (async () => {
        try {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk as Buffer);
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { user: string; groups?: string[]; disabled?: boolean };
          if (url.pathname === '/idp/groups') oidc.setGroups(body.user, body.groups ?? []);
          else oidc.setDisabled(body.user, body.disabled ?? true);
          res.writeHead(204).end();
        } catch (err) {
          res.writeHead(400).end((err as Error).message);
        }
      })();
      return;
    }
    const m = /^\/restart\/([a-z0-9-]+)$/.exec(url.pathname);
    const server = m && running.get(m[1]!);
    if (req.method !== 'POST' || !server) return void res.writeHead(404).end();
    void (async () => {
      try {
        await server.service.stop();
        const port = Number(new URL(server.url).port);
        const downMs = Number(url.searchParams.get('downMs') ?? 0);
        await new Promise((r) => setTimeout(r, downMs));
        running.set(server.name, await startServer(server.name, port));
        res.writeHead(204).end();
      } catch (err) {
        res.writeHead(500).end((err as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  stops.push({ name: 'control', stop: () => new Promise<void>((r) => control.close(() => r())) });
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

  const secondsPerCluster = Number(values['seconds-per-cluster']);
  const { controller, bundleController, agents, argocd } = spawnStandins({
    runDir: runDir!,
    hubKubeconfig: hubEnv.adminKubeconfig,
    secondsPerCluster,
    healthyClusters: clusters.filter((c) => c.state === 'Ready').map((c) => c.name),
  });
  track('fleet-controller-standin', controller);
  track('rancher-fleet-standin', bundleController);
  track('member-agents-standin', agents);
  track('argocd-standin', argocd);

  const env: TestbedEnv = {
    runDir: runDir!,
    startedAt: now.toISOString(),
    versions: {
      'kube-apiserver': versionOf(join(binDir, 'kube-apiserver')),
      etcd: versionOf(join(binDir, 'etcd')),
      prometheus: prometheus.version,
      loki: LOKI_STANDIN_VERSION,
      'oidc-provider': oidc.version,
    },
    etcd: { url: etcd.url },
    hub: hubEnv,
    spokes: spokes.map(apiEnv),
    clientCa: { certFile: caFile, keyFile: caKeyFile },
    users: {
      bff: { certFile: write('bff.crt', bff.cert), keyFile: write('bff.key', bff.key), user: BFF_USER, groups: [BFF_GROUP] },
      admin: {
        certFile: write('admin.crt', admin.cert),
        keyFile: write('admin.key', admin.key),
        user: 'testbed-admin',
        groups: ['system:masters'],
      },
    },
    prometheus: { url: prometheus.url },
    loki: { url: loki.url, multiTenant: values['loki-multi-tenant'], standIn: true },
    oidc: {
      issuer: oidc.issuer,
      clientId: 'fleetdeck',
      clientSecret: oidcClientSecret,
      redirectUris,
      users: DEMO_USERS.map((u) => ({ user: u.user, password: 'testbed', groups: [...u.groups] })),
    },
    fleetController: { secondsPerCluster },
    control: { url: controlUrl },
    pids: [
      process.pid,
      etcd.service.pid,
      ...servers.map((s) => s.service.pid),
      prometheus.pid,
      controller.pid,
      bundleController.pid,
      agents.pid,
    ],
  };
  lap('total', t0);
  // Written last and atomically: its existence is the readiness signal `up` waits for.
  const envFile = join(runDir!, 'env.json');
  writeFileSync(`${envFile}.tmp`, JSON.stringify(env, null, 2));
  renameSync(`${envFile}.tmp`, envFile);
  log('testbed ready', { timings });
  process.stdout.write(`TESTBED READY ${envFile}\n`);
}

main().catch(async (err: unknown) => {
  log('testbed failed to start', { error: (err as Error).message });
  process.stderr.write(`testbed failed to start: ${(err as Error).stack ?? String(err)}\n`);
  await shutdown('start failed');
  process.exit(1);
});
