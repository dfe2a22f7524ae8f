import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';

import { parseConfig } from '../../src/config/load.ts';
import { createPrometheus } from '../../src/sources/health/create-health.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { PrometheusClient } from '../../src/sources/prometheus/prometheus-client.ts';

/**
 * `prometheus.compression`: what the client asks for is seen where it is sent (a loopback
 * server of the test's own writes down the request's Accept-Encoding), and the testbed's real
 * Prometheus answers both ways alike — uncompressed when asked.
 */
const env = inject('testbed');

const asked: (string | undefined)[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.headers['accept-encoding']);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: ['a'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const real = (url: string, compression: boolean) =>
  createPrometheus(
    parseConfig({
      mode: 'real',
      session: { secret: 'x'.repeat(32) },
      auth: {
        oidc: { issuerUrl: 'http://127.0.0.1:9/', clientId: 'fleetdeck', redirectUrl: 'http://127.0.0.1/cb', allowInsecureHttp: true },
      },
      prometheus: { url, compression },
      log: { level: 'silent' },
    }),
    createLogger('silent'),
  )!;

describe('prometheus.compression', () => {
  it('asks for gzip by default, and for identity when off (GET and POST)', async () => {
    asked.length = 0;
    await real(base, true).labelValuesRaw('cluster', []);
    await real(base, false).labelValuesRaw('cluster', []);
    await new PrometheusClient({ url: base, thanos: false, timeoutMs: 5000, compression: false }).instantRaw('up');
    expect(asked[0]).toMatch(/gzip/);
    expect(asked.slice(1)).toEqual(['identity', 'identity']);
  });

  it('gets the same answer from the real Prometheus either way, uncompressed when off', async () => {
    const query = 'count by (cluster) (up)';
    const at = Math.floor(Date.now() / 1000);
    const [zipped, plain] = await Promise.all(
      [real(env.prometheus.url, true), real(env.prometheus.url, false)].map((c) => c.instantRaw(query, { time: at })),
    );
    expect(plain!.data).toEqual(zipped!.data);
    expect(plain!.data.resultType).toBe('vector');
    expect((plain!.data.result as unknown[]).length).toBeGreaterThan(1);
    // What Prometheus does with each request the client sends: gzip when asked, identity otherwise.
    const url = `${env.prometheus.url}/api/v1/query?${new URLSearchParams({ query, time: String(at) }).toString()}`;
    const gz = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    const id = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(id.headers.get('content-encoding')).toBeNull();
  });
});
