import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ImpersonatingClient, UpstreamFailure } from '../../src/sources/kube/impersonating-client.ts';
import { PrometheusClient, PrometheusError } from '../../src/sources/prometheus/prometheus-client.ts';

/**
 * Upstreams that misbehave: one that answers far too much, one that trickles a byte at
 * a time forever. Real API servers and Prometheus do not do this on request, so these
 * are loopback servers of the test's own that do. Every call must end within its total
 * time and memory budget with a message that is safe to show.
 */
const seen: string[] = [];
function misbehave(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0]!;
  seen.push(path);
  if (path.endsWith('/big') || path.includes('/big/')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < 40 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return;
  }
  if (path.endsWith('/slow') || path.includes('/slow/')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    const tick = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(tick));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', path }));
}

let https: Server;
let http: Server;
let kc: KubeConfig;
let promBase: string;
beforeAll(async () => {
  // A self-signed serving certificate for 127.0.0.1 (Debian's openssl), trusted as the kubeconfig's CA.
  const dir = mkdtempSync(join(tmpdir(), 'upstream-limits-'));
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr || made.error?.message}`);
  const serving = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  https = createHttpsServer({ cert: serving.cert, key: serving.key }, misbehave);
  http = createHttpServer(misbehave);
  await Promise.all([https, http].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        // A Rancher-proxy style URL: the prefix must be kept.
        server: `https://127.0.0.1:${(https.address() as AddressInfo).port}/k8s/clusters/c-m-abc12`,
        caData: Buffer.from(serving.cert).toString('base64'),
      },
    ],
    users: [{ name: 'bff', token: 'test-token' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'bff' }],
    currentContext: 'c',
  });
  promBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => {
  https?.close();
  http?.close();
  https?.closeAllConnections();
  http?.closeAllConnections();
});

const person = { user: 'pat@example.com', groups: ['fleet-viewers'] };

describe('calls to member clusters', () => {
  it('keep the server URL’s path prefix', async () => {
    const client = new ImpersonatingClient(kc);
    const res = await client.request<{ path: string }>(person, 'GET', '/api/v1/namespaces');
    expect(res.status).toBe(200);
    expect(res.body.path).toBe('/k8s/clusters/c-m-abc12/api/v1/namespaces');
  });

  it('refuse an answer over the byte cap with a clear error', async () => {
    const client = new ImpersonatingClient(kc, { maxBodyBytes: 1024 * 1024, totalTimeoutMs: 20_000 });
    const err = await client.request(person, 'GET', '/big').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamFailure);
    expect((err as Error).message).toMatch(/larger than 1 MiB/);
  });

  it('end a trickling answer at the total timeout, not only after an idle gap', async () => {
    const client = new ImpersonatingClient(kc, { totalTimeoutMs: 1500 });
    const started = performance.now();
    const err = await client.request(person, 'GET', '/slow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamFailure);
    expect((err as Error).message).toMatch(/within 1.5 s/);
    expect(performance.now() - started).toBeLessThan(4000);
  });
});

describe('calls to Prometheus', () => {
  it('refuse an answer over the byte cap, and say so without the upstream’s words', async () => {
    const client = new PrometheusClient({ url: `${promBase}/big`, thanos: false, timeoutMs: 20_000, maxBodyBytes: 1024 * 1024 });
    const err = await client.instant('up').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as Error).message).toBe('Prometheus answered more than 1 MiB');
  });

  it('end a trickling answer at the total timeout', async () => {
    const client = new PrometheusClient({ url: `${promBase}/slow`, thanos: false, timeoutMs: 1000 });
    const started = performance.now();
    const err = await client.instant('up').catch((e: unknown) => e);
    expect((err as Error).message).toBe('Prometheus did not answer within 1 s');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('name no address when it is unreachable', async () => {
    const client = new PrometheusClient({ url: 'http://127.0.0.1:9', thanos: false, timeoutMs: 2000 });
    const err = await client.instant('up').catch((e: unknown) => e);
    expect((err as Error).message).toBe('Prometheus is unreachable');
  });
});
