import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_USERS, FleetHealthPanels, FleetTree, Me, Problem, healthApiPaths } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { Browser, startDemoBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../helpers/forge-session.ts';

const BFF_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

let bff: RunningServer;
beforeAll(async () => {
  bff = await startDemoBff();
});
afterAll(async () => {
  await bff?.close();
});

async function problemOf(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return Problem.parse(await res.json());
}

describe('probes', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${bff.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${bff.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('exports request counts and latency per route template on /metrics', async () => {
    await fetch(`${bff.url}/api/fleet`);
    const text = await (await fetch(`${bff.url}/metrics`)).text();
    expect(text).toMatch(/fleetdeck_http_requests_total\{route="\/api\/fleet",method="get",status="401"\} [1-9]/);
    expect(text).toMatch(/fleetdeck_http_request_duration_seconds_bucket\{le="0\.005",route="\/api\/fleet",method="get"\}/);
  });
});

describe('each demo persona', () => {
  const expectedTenants: Record<string, string[]> = {
    'platform-admin@demo': ['client-a', 'client-b', 'client-c'],
    'client-a-admin@demo': ['client-a'],
    'client-a-dev@demo': ['client-a'],
    'client-b-viewer@demo': ['client-b'],
    'oncall-admin@demo': ['client-a', 'client-b', 'client-c'],
  };

  for (const persona of DEMO_USERS) {
    it(`${persona.user}: signs in, /api/me names them, /api/fleet holds only their tenants`, async () => {
      const browser = new Browser(bff.url);
      const login = await browser.signIn(persona.user);
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/');
      expect(browser.cookie).toMatch(/^fleetdeck_session=/);

      const me = Me.parse(await (await browser.fetch('/api/me')).json());
      expect(me.principal).toMatchObject({ user: persona.user, groups: persona.groups });
      expect(me.scope.grants.map((g) => g.role)).toEqual([persona.role]);

      const fleet = FleetTree.parse(await (await browser.fetch('/api/fleet')).json());
      expect(fleet.tenants.map((t) => t.id)).toEqual(expectedTenants[persona.user]);
      for (const c of fleet.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters))) {
        expect(expectedTenants[persona.user]).toContain(c.tenant);
        if (persona.role === 'developer') expect(c.environment).not.toBe('production');
      }
    });
  }

  it('client-a-admin sees only client-a clusters and no byte of client-b or client-c', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('client-a-admin@demo');
    const bodies: string[] = [];
    for (const path of ['/healthz', '/readyz', '/api/me', '/api/fleet', '/api/auth/config']) {
      const res = await browser.fetch(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      // What anyone gets without signing in (the demo's persona list on the sign-in
      // page) is public by design, not a leak; everything else must be clean.
      const anonymous = await (await fetch(bff.url + path)).text();
      if (body !== anonymous) bodies.push(body);
    }
    expect(bodies).toHaveLength(2);
    const fleet = FleetTree.parse(JSON.parse(bodies[1]!));
    const names = fleet.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name)));
    expect(names).toHaveLength(15);
    expect(names).toEqual(expect.arrayContaining(['prod-us-east', 'prod-us-west', 'client-a-staging', 'edge-retail-001']));
    for (const body of bodies) {
      expect(body).not.toContain('client-b');
      expect(body).not.toContain('client-c');
      for (const other of ['prod-eu-west', 'prod-asia']) expect(body).not.toContain(other);
    }
  });
});

describe('bad input and anonymous callers', () => {
  it('answers 401 problem JSON to anonymous API calls', async () => {
    for (const path of ['/api/me', '/api/fleet']) {
      const res = await fetch(bff.url + path);
      expect(res.status).toBe(401);
      expect(await problemOf(res)).toMatchObject({ status: 401, title: 'Not signed in', instance: path });
    }
  });

  it('answers 400 problem JSON naming the unknown demo user', async () => {
    const res = await fetch(`${bff.url}/api/auth/demo/login?as=mallory@demo`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.detail).toContain('unknown demo user "mallory@demo"');
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'query.as' })]);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses repeated, nested, missing and unknown query parameters', async () => {
    for (const query of ['as=platform-admin@demo&as=client-a-admin@demo', 'as[x]=1', '', 'as=platform-admin@demo&debug=1']) {
      const res = await fetch(`${bff.url}/api/auth/demo/login?${query}`, { redirect: 'manual' });
      expect(res.status, query).toBe(400);
      await problemOf(res);
    }
    const browser = new Browser(bff.url);
    await browser.signIn('platform-admin@demo');
    expect((await browser.fetch('/api/fleet?unknown=1')).status).toBe(400);
    expect((await browser.fetch('/api/fleet?selector=a&selector=b')).status).toBe(400);
    const bad = await browser.fetch(`/api/fleet?selector=${encodeURIComponent('env=prod,,tier=edge')}`);
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).errors).toEqual([
      { path: 'query.selector', message: expect.stringMatching(/empty term/) as unknown, position: 9 },
    ]);
    const good = FleetTree.parse(
      await (await browser.fetch(`/api/fleet?selector=${encodeURIComponent('client-b/*, env=production')}`)).json(),
    );
    expect(good.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name)))).toEqual(['prod-eu-west']);
    expect(good.visibleCount).toBe(20);
    expect(good.facets.environment).toEqual({ production: 1 });
  });

  it('answers unknown API paths with 404 problem JSON and never a stack trace', async () => {
    const res = await fetch(`${bff.url}/api/nope`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(JSON.parse(text)).toMatchObject({ status: 404 });
  });

  it('rejects a tampered session cookie as anonymous', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('platform-admin@demo');
    const [name, value] = browser.cookie.split('=') as [string, string];
    const flipped = value.slice(0, 20) + (value[20] === 'a' ? 'b' : 'a') + value.slice(21);
    browser.cookie = `${name}=${flipped}`;
    expect((await browser.fetch('/api/me')).status).toBe(401);
  });
});

describe('sign-out', () => {
  it('needs the CSRF token and a same-origin Origin, then ends the session', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('client-b-viewer@demo');
    const { csrfToken } = Me.parse(await (await browser.fetch('/api/me')).json());
    const origin = bff.url;

    const noToken = await browser.fetch('/api/auth/logout', { method: 'POST', headers: { origin } });
    expect(noToken.status).toBe(403);
    expect((await problemOf(noToken)).detail).toMatch(/x-csrf-token/);
    const crossSite = await browser.fetch('/api/auth/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'x-csrf-token': csrfToken },
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await browser.fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    expect(noOrigin.status).toBe(403);
    expect((await browser.fetch('/api/me')).status).toBe(200);

    const ok = await browser.fetch('/api/auth/logout', { method: 'POST', headers: { origin, 'x-csrf-token': csrfToken } });
    expect(ok.status).toBe(200);
    // Demo mode has no identity provider whose session would need ending too.
    expect(await ok.json()).toEqual({});
    expect((await browser.fetch('/api/me')).status).toBe(401);
  });
});

describe('JSON answers', () => {
  it('are ASCII bytes: the health panels’ em dashes arrive as \\u escapes and parse back to themselves', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('platform-admin@demo');
    const res = await browser.fetch(`${healthApiPaths.fleetHealthPanels}?range=6h`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.findIndex((b) => b >= 0x80)).toBe(-1);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('\\u2014');
    const helps = FleetHealthPanels.parse(JSON.parse(text)).panels.map((p) => p.def.help);
    expect(helps.some((h) => h.includes('—'))).toBe(true);
  });
});

describe('the fleet health panels’ tables', () => {
  it('carry the first `rows` worst first when asked (all, worst first, when there are fewer), the whole table’s size, and every row by name otherwise', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('platform-admin@demo');
    const first = FleetHealthPanels.parse(await (await browser.fetch(`${healthApiPaths.fleetHealthPanels}?range=6h&rows=3`)).json());
    // The same window again, fixed, so both answers hold the same values.
    const at = new URLSearchParams({ from: first.window.from, to: first.window.to });
    const [head, whole, more] = await Promise.all(
      ['&rows=3', '', '&rows=1000'].map(async (rows) =>
        FleetHealthPanels.parse(await (await browser.fetch(`${healthApiPaths.fleetHealthPanels}?${at.toString()}${rows}`)).json()),
      ),
    );
    expect(whole!.panels.length).toBeGreaterThan(0);
    for (const [i, p] of whole!.panels.entries()) {
      const cut = head!.panels[i]!;
      expect(p.table.length, p.def.id).toBe(p.tableSize);
      expect(p.tableSize, p.def.id).toBeGreaterThan(3);
      // Every row, by name.
      expect(p.table.map((r) => r.cluster)).toEqual(p.table.map((r) => r.cluster).sort());
      expect(cut.tableSize, p.def.id).toBe(p.tableSize);
      const sign = p.def.worse === 'higher' ? -1 : 1;
      const worstFirst = [...p.table].sort((a, b) => sign * (a.value - b.value) || (a.cluster < b.cluster ? -1 : 1));
      expect(cut.table, p.def.id).toEqual(worstFirst.slice(0, 3));
      // More rows asked than there are: all of them, still worst first.
      expect(more!.panels[i]!.table, p.def.id).toEqual(worstFirst);
    }
    const bad = await browser.fetch(`${healthApiPaths.fleetHealthPanels}?range=6h&rows=-1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).errors?.[0]?.path).toBe('query.rows');
  });
});

describe('an upstream that is down', () => {
  it('degrades the health panel only: /api/fleet/health names the failure, /api/fleet still answers', async () => {
    const real = await startDemoBff(
      {
        mode: 'real',
        session: { secret: TEST_SESSION_SECRET },
        auth: {
          oidc: {
            issuerUrl: 'http://127.0.0.1:9/',
            clientId: 'fleetdeck',
            redirectUrl: 'http://127.0.0.1/api/auth/callback',
            allowInsecureHttp: true,
          },
        },
        prometheus: { url: 'http://127.0.0.1:9', timeoutSeconds: 2 },
      },
      { inventory: new DemoInventory() },
    );
    try {
      const cookie = await forgeSessionCookie({ user: 'pat', groups: ['fleet-platform-admins'] });
      const health = await fetch(`${real.url}/api/fleet/health`, { headers: { cookie } });
      expect(health.status).toBe(200);
      const body = (await health.json()) as { clusters: object; errors: { source: string; reason: string }[] };
      expect(body.clusters).toEqual({});
      // One per fleet-wide query: the five at-a-glance figures and the pods per namespace.
      expect(body.errors.length).toBe(6);
      expect(body.errors[0]).toMatchObject({ source: 'prometheus', reason: expect.stringMatching(/unreachable/) as unknown });
      expect((await fetch(`${real.url}/api/fleet`, { headers: { cookie } })).status).toBe(200);
      // A cluster's panels each carry the failure; the answer itself is not an error.
      const panels = (await (await fetch(`${real.url}/api/clusters/prod-us-east/health`, { headers: { cookie } })).json()) as {
        panels: { errors: unknown[] }[];
      };
      expect(panels.panels).toHaveLength(9);
      expect(panels.panels.every((p) => p.errors.length === 1)).toBe(true);
    } finally {
      await real.close();
    }
  });
});

describe('outside demo mode', () => {
  it('has no demo login route at all (404)', async () => {
    const real = await startDemoBff(
      {
        mode: 'real',
        session: { secret: 'x'.repeat(32) },
        auth: {
          oidc: {
            issuerUrl: 'http://127.0.0.1:9/',
            clientId: 'fleetdeck',
            redirectUrl: 'http://127.0.0.1/api/auth/callback',
            allowInsecureHttp: true,
          },
        },
      },
      { inventory: new DemoInventory() },
    );
    try {
      const res = await fetch(`${real.url}/api/auth/demo/login?as=platform-admin@demo`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(await (await fetch(`${real.url}/api/auth/config`)).json()).toEqual({
        mode: 'oidc',
        demoUsers: [],
        loginUrl: '/api/auth/login',
      });
      // The provider is down: sign-in degrades to a clear 503, the BFF stays up.
      const login = await fetch(`${real.url}/api/auth/login`, { redirect: 'manual' });
      expect(login.status).toBe(503);
      expect(((await login.json()) as { detail: string }).detail).toMatch(/sign-in provider is unreachable/);
      expect((await fetch(`${real.url}/readyz`)).status).toBe(200);
    } finally {
      await real.close();
    }
  });
});

describe('the BFF process', () => {
  function runMain(env: Record<string, string>) {
    const child = spawn(process.execPath, [BFF_MAIN], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    return { child, output: () => ({ stderr, stdout }) };
  }

  it('stops at start with a message naming the bad config key', async () => {
    const { child, output } = runMain({ PORT: 'not-a-port' });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(output().stderr).toMatch(/invalid configuration:\n\s+server\.port: .*\[from env PORT\]/);
    expect(output().stderr).not.toMatch(/\n\s+at /);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const { child, output } = runMain({ PORT: '0', LOG_LEVEL: 'info' });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`BFF did not start: ${JSON.stringify(output())}`)), 15_000);
      child.stdout.on('data', () => {
        if (output().stdout.includes('Fleetdeck is serving')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const started = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output().stdout).toContain('shutting down');
  });
});
