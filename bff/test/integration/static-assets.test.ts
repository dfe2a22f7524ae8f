import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';

// A build as `vite build` (with web/build/precompress.ts) leaves it: each asset beside its .br and .gz.
const SCRIPT = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;

describe('the SPA assets are sent precompressed', () => {
  let dir: string;
  let bff: RunningServer;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetdeck-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Fleetdeck</title>');
    writeFileSync(join(dir, 'favicon.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'app-abc123.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(dir, 'assets', 'app-abc123.js.gz'), gzipSync(SCRIPT));
    bff = await startDemoBff({ web: { staticDir: dir } });
    base = bff.url;
  });
  afterAll(async () => {
    await bff.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // fetch() decodes the body by its content-encoding, so equality proves the right file was sent with the right header.
  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
  ])('Accept-Encoding "%s" gets %s, marked as varying by it, with the JavaScript type and a year of caching', async (accept, encoding) => {
    const res = await fetch(`${base}/assets/app-abc123.js`, { headers: { 'accept-encoding': accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(encoding);
    expect(res.headers.get('vary')?.toLowerCase()).toContain('accept-encoding');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect(await res.text()).toBe(SCRIPT);
  });

  it('a browser that accepts neither gets the plain file', async () => {
    const res = await fetch(`${base}/assets/app-abc123.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe(SCRIPT);
  });

  it('the favicon is kept a day; index.html, by any path, is always revalidated', async () => {
    const icon = await fetch(`${base}/favicon.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=86400');
    for (const path of ['/index.html', '/', '/health']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('an asset that does not exist is a 404, not the SPA', async () => {
    const res = await fetch(`${base}/assets/nope-000.js`, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(404);
  });
});
