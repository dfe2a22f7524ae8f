import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { KubeClient } from '../kube/client.ts';
import type { CertificateAuthority, Pem } from '../kube/pki.ts';
import { freePort, spawnService, waitUntil, type Service } from '../proc/service.ts';

export interface ApiServer {
  name: string;
  url: string;
  dir: string;
  service: Service;
  /** The CA that signed this server's serving certificate (the testbed CA). */
  caFile: string;
  admin: KubeClient;
}

// Every request's metadata (who, what, impersonated by whom) goes to the audit log,
// so tests can check that the API server names the person, not the BFF.
const AUDIT_POLICY = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] };

export function kubeconfig(name: string, url: string, ca: string, user: string, creds: Pem): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'certificate-authority-data': b64(ca) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(creds.cert), 'client-key-data': b64(creds.key) } }],
    contexts: [{ name, context: { cluster: name, user } }],
    'current-context': name,
  });
}

/** A real kube-apiserver with RBAC, client-certificate authentication and its own etcd prefix. */
export async function startApiServer(opts: {
  bin: string;
  name: string;
  runDir: string;
  etcdUrl: string;
  ca: CertificateAuthority;
  admin: Pem;
  serviceAccount: { key: string; publicKey: string };
  /** Reuse a port (a restart keeps the server's address). */
  port?: number;
}): Promise<ApiServer> {
  const dir = join(opts.runDir, opts.name);
  mkdirSync(join(dir, 'certs'), { recursive: true });
  const port = opts.port ?? (await freePort());
  const serving = await opts.ca.sign({
    commonName: `kube-apiserver-${opts.name}`,
    serverNames: { dns: ['localhost', `${opts.name}.testbed.local`], ip: ['127.0.0.1'] },
  });
  const file = (n: string, content: string) => {
    const p = join(dir, n);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const caFile = file('ca.crt', opts.ca.cert);
  const args = [
    '--advertise-address=127.0.0.1',
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--etcd-servers=${opts.etcdUrl}`,
    `--etcd-prefix=/${opts.name}`,
    `--cert-dir=${join(dir, 'certs')}`,
    `--tls-cert-file=${file('serving.crt', serving.cert)}`,
    `--tls-private-key-file=${file('serving.key', serving.key)}`,
    `--client-ca-file=${caFile}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://${opts.name}.testbed.local`,
    `--service-account-key-file=${file('sa.pub', opts.serviceAccount.publicKey)}`,
    `--service-account-signing-key-file=${file('sa.key', opts.serviceAccount.key)}`,
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    `--audit-policy-file=${file('audit-policy.yaml', stringify(AUDIT_POLICY))}`,
    `--audit-log-path=${join(dir, 'audit.log')}`,
    // Saves CPU on a 2-core machine running three API servers.
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--v=1',
  ];
  const service = spawnService(`kube-apiserver/${opts.name}`, opts.bin, args, { logFile: join(dir, 'kube-apiserver.log') });
  const url = `https://127.0.0.1:${port}`;
  const admin = new KubeClient({ url, ca: opts.ca.cert, cert: opts.admin.cert, key: opts.admin.key });
  await waitUntil(`kube-apiserver ${opts.name}`, async () => (await admin.request('GET', '/readyz')).status === 200, {
    timeoutMs: 90_000,
    service,
    intervalMs: 300,
  });
  return { name: opts.name, url, dir, service, caFile, admin };
}
