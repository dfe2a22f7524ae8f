import type { TestbedEnv } from '@fleetdeck/testbed';

import { parseConfig } from '../../src/config/load.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { TEST_SESSION_SECRET } from './forge-session.ts';

/** The real BFF on an ephemeral loopback port, demo fleet, quiet logs. */
export async function startDemoBff(overrides: ConfigInput = {}, options: Parameters<typeof startServer>[1] = {}): Promise<RunningServer> {
  const config = parseConfig({
    mode: 'demo',
    ...overrides,
    server: { port: 0, host: '127.0.0.1', ...overrides.server },
    log: { level: 'silent' },
  });
  return startServer(config, { logger: createLogger('silent'), ...options });
}

/**
 * The real BFF in real mode on the demo inventory, with an identity provider address
 * nothing listens at: for tests of real-mode routes and headers that need no provider.
 */
export async function startRealModeBff(
  options: { redirectUrl?: string; overrides?: ConfigInput } = {},
  start: Parameters<typeof startServer>[1] = {},
): Promise<RunningServer> {
  return startDemoBff(
    {
      mode: 'real',
      session: { secret: TEST_SESSION_SECRET },
      auth: {
        oidc: {
          issuerUrl: 'http://127.0.0.1:9/',
          clientId: 'fleetdeck',
          redirectUrl: options.redirectUrl ?? 'http://127.0.0.1/api/auth/callback',
          allowInsecureHttp: true,
        },
      },
      ...options.overrides,
    },
    { inventory: new DemoInventory(), ...start },
  );
}

/**
 * The real BFF in real mode on the testbed: its hub's MemberClusters as the inventory, its
 * OIDC provider as the issuer (tests sign in with forged session cookies), plus overrides.
 */
export function startTestbedBff(env: TestbedEnv, overrides: ConfigInput = {}): Promise<RunningServer> {
  return startDemoBff({
    mode: 'real',
    session: { secret: TEST_SESSION_SECRET },
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        redirectUrl: 'http://127.0.0.1/api/auth/callback',
        allowInsecureHttp: true,
      },
    },
    inventory: { sources: ['kubefleet'], hubKubeconfig: env.hub.bffKubeconfig },
    ...overrides,
  });
}

/** A tiny cookie-keeping client, so a test can act as one signed-in browser. */
export class Browser {
  cookie = '';
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      // iron-session clears the cookie with an empty value.
      this.cookie = value ? `${name}=${value}` : '';
    }
    return res;
  }

  async signIn(user: string): Promise<Response> {
    return this.fetch(`/api/auth/demo/login?as=${encodeURIComponent(user)}`);
  }
}
