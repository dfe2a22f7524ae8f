import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../src/config/load.ts';

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
    writeFileSync(file, 'server:\n  port: 9000\n  host: 0.0.0.0\n');
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
    const config = loadConfig({ FLEETDECK_SPOKE_KUBECONFIGS: 'a=/k/a.kubeconfig, b=/k/b.kubeconfig', FLEETDECK_INVENTORY_SOURCES: 'demo' });
    expect(config.spokes.kubeconfigs).toEqual({ a: '/k/a.kubeconfig', b: '/k/b.kubeconfig' });
    expect(loadConfig({ FLEETDECK_INVENTORY_SOURCES: 'kubefleet, rancher-fleet' }).inventory.sources).toEqual([
      'kubefleet',
      'rancher-fleet',
    ]);
    expect(() => loadConfig({ FLEETDECK_INVENTORY_SOURCES: 'kubefleet,argo' })).toThrow(/inventory\.sources\.1/);
    expect(() => loadConfig({ FLEETDECK_INVENTORY_SOURCES: 'static' })).toThrow(/inventory\.staticFile: required/);
  });

  it('validates an access policy in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'accessPolicy:\n  roles: {viewer: [view]}\n  bindings:\n    - {group: ops, role: root, tenants: "*"}\n');
    expect(() => loadConfig({ FLEETDECK_CONFIG: file })).toThrow(/accessPolicy\.bindings\.0\.role/);
  });
});
