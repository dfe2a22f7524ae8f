import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, isLoopback, loadConfig } from '../../src/config/load.ts';

describe('loadConfig', () => {
  it('defaults to the demo fleet on loopback port 8080', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('demo');
    expect(config.server).toMatchObject({ port: 8080, host: '127.0.0.1', trustProxy: false });
  });

  it('names the key and the env var of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/server\.port: .*\[from env PORT\]/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/log\.level: .*\[from env LOG_LEVEL\]/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/server\.trustProxy/);
  });

  it('reads booleans as true/false only', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).server.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
  });

  it('reads a YAML file, lets env override it, and names unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'server:\n  port: 9000\n  host: 0.0.0.0\ndemo:\n  public: true\n');
    expect(loadConfig({ FLEETDECK_CONFIG: file }).server).toMatchObject({ port: 9000, host: '0.0.0.0' });
    expect(loadConfig({ FLEETDECK_CONFIG: file, PORT: '9001' }).server.port).toBe(9001);
    writeFileSync(file, 'server:\n  prot: 9000\n');
    expect(() => loadConfig({ FLEETDECK_CONFIG: file })).toThrow(/server \(unknown: prot\).*\[from file/);
    writeFileSync(file, 'server: [unclosed\n');
    expect(() => loadConfig({ FLEETDECK_CONFIG: file })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ FLEETDECK_CONFIG: join(dir, 'missing.yaml') })).toThrow(/cannot read config file/);
  });

  it('requires a session secret of 32+ characters and OIDC in real mode', () => {
    const oidc = {
      OIDC_ISSUER_URL: 'https://idp.example',
      OIDC_CLIENT_ID: 'fleetdeck',
      OIDC_REDIRECT_URL: 'https://fleetdeck.example/api/auth/callback',
    };
    expect(() => loadConfig({ FLEETDECK_MODE: 'real', ...oidc })).toThrow(/session\.secret: required in real mode/);
    expect(() => loadConfig({ FLEETDECK_MODE: 'real', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/auth\.oidc: required in real mode/);
    expect(() => loadConfig({ FLEETDECK_MODE: 'real', SESSION_SECRET: 'short', ...oidc })).toThrow(/session\.secret: must be at least 32/);
    expect(() => loadConfig({ FLEETDECK_MODE: 'real', SESSION_SECRET: 'x'.repeat(32), ...oidc, OIDC_ISSUER_URL: 'not a url' })).toThrow(
      /auth\.oidc\.issuerUrl.*\[from env OIDC_ISSUER_URL\]/,
    );
    const config = loadConfig({ FLEETDECK_MODE: 'real', SESSION_SECRET: 'x'.repeat(32), ...oidc, OIDC_ALLOW_INSECURE_HTTP: 'false' });
    expect(config.auth.oidc).toMatchObject({
      issuerUrl: 'https://idp.example',
      groupsClaim: 'groups',
      userClaim: 'email',
      allowInsecureHttp: false,
    });
  });

  it('reads spoke kubeconfigs and inventory sources from env lists', () => {
    const real = {
      FLEETDECK_MODE: 'real',
      SESSION_SECRET: 'x'.repeat(32),
      OIDC_ISSUER_URL: 'https://idp.example',
      OIDC_CLIENT_ID: 'fleetdeck',
      OIDC_REDIRECT_URL: 'https://fleetdeck.example/api/auth/callback',
    };
    const config = loadConfig({
      ...real,
      FLEETDECK_SPOKE_KUBECONFIGS: 'a=/k/a.kubeconfig, b=/k/b.kubeconfig',
      FLEETDECK_INVENTORY_SOURCES: 'demo',
    });
    expect(config.spokes.kubeconfigs).toEqual({ a: '/k/a.kubeconfig', b: '/k/b.kubeconfig' });
    expect(loadConfig({ ...real, FLEETDECK_INVENTORY_SOURCES: 'kubefleet, rancher-fleet' }).inventory.sources).toEqual([
      'kubefleet',
      'rancher-fleet',
    ]);
    expect(() => loadConfig({ ...real, FLEETDECK_INVENTORY_SOURCES: 'kubefleet,argo' })).toThrow(/inventory\.sources\.1/);
    expect(() => loadConfig({ ...real, FLEETDECK_INVENTORY_SOURCES: 'static' })).toThrow(/inventory\.staticFile: required/);
  });

  it('refuses, in demo mode, every key that names a real system, naming the key and where it came from', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ FLEETDECK_SPOKE_KUBECONFIGS: 'a=/k/a' }, /spokes\.kubeconfigs: names a real system.*\[from env FLEETDECK_SPOKE_KUBECONFIGS\]/],
      [{ FLEETDECK_HUB_KUBECONFIG: '/k/hub' }, /inventory\.hubKubeconfig: names a real system.*\[from env FLEETDECK_HUB_KUBECONFIG\]/],
      [{ PROMETHEUS_URL: 'http://prometheus:9090' }, /prometheus\.url: names a real system.*\[from env PROMETHEUS_URL\]/],
      [{ LOKI_URL: 'http://loki:3100' }, /loki\.url: names a real system.*\[from env LOKI_URL\]/],
      [{ FLEETDECK_INVENTORY_SOURCES: 'kubefleet' }, /inventory\.sources: names a real system/],
      [
        { OIDC_ISSUER_URL: 'https://idp.example', OIDC_CLIENT_ID: 'x', OIDC_REDIRECT_URL: 'https://f.example/api/auth/callback' },
        /auth\.oidc: names a real system/,
      ],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
    // The demo itself still starts with nothing set.
    expect(loadConfig({}).mode).toBe('demo');
  });

  it('keeps the demo on loopback unless FLEETDECK_DEMO_PUBLIC=true says otherwise', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /server\.host: "0\.0\.0\.0" is not a loopback address.*FLEETDECK_DEMO_PUBLIC=true/,
    );
    expect(() => loadConfig({ HOST: '10.1.2.3' })).toThrow(/not a loopback address/);
    expect(loadConfig({ HOST: '0.0.0.0', FLEETDECK_DEMO_PUBLIC: 'true' }).demo.public).toBe(true);
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: host }).server.host).toBe(host);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });

  it('validates an access policy in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'accessPolicy:\n  roles: {viewer: [view]}\n  bindings:\n    - {group: ops, role: root, tenants: "*"}\n');
    expect(() => loadConfig({ FLEETDECK_CONFIG: file })).toThrow(/accessPolicy\.bindings\.0\.role/);
  });
});

describe('runtime flags', () => {
  it('are the same in bff/package.json start script as everywhere else the BFF is started', async () => {
    const { BFF_NODE_FLAGS } = await import('../../src/runtime-flags.ts');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${BFF_NODE_FLAGS.join(' ')} src/main.ts`);
  });
});
