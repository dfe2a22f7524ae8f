import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiPaths, healthApiPaths, logsApiPaths, lokiApiPaths, promApiPaths, type Principal } from '@fleetdeck/shared';

import { LOKI_TAIL_WS_PATH } from '../../src/routes/loki-tail-ws.ts';
import type { RunningServer } from '../../src/server.ts';
import { startDemoBff, startRealModeBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../helpers/forge-session.ts';
import { wsTail } from '../helpers/ws-tail.ts';

/**
 * Every registered route must have a case here. Public routes say why they are
 * public; every other route is proven to refuse an anonymous caller (401) and, where
 * a verb is needed, a signed-in person without it (403). A route added without a case
 * fails this test.
 */
type Case = { public: string } | { underPrivileged: Principal; query?: string } | { anySignedInPerson: true; query?: string };

const NOBODY: Principal = { user: 'outsider@example.com', groups: ['marketing'] };
const VIEWER: Principal = { user: 'fleet-viewer@example.com', groups: ['fleet-viewers'] };

const CASES: Record<string, Case> = {
  [`GET ${apiPaths.healthz}`]: { public: 'liveness probe; no data' },
  [`GET ${apiPaths.readyz}`]: { public: 'readiness probe; no data' },
  [`GET ${apiPaths.metrics}`]: { public: "the BFF's own metrics: route templates and counts, no fleet data" },
  [`GET ${apiPaths.authConfig}`]: { public: 'the sign-in page needs it before anyone is signed in' },
  [`GET ${apiPaths.demoLogin}`]: { public: 'demo mode only: the persona picker signs people in' },
  [`GET ${apiPaths.login}`]: { public: 'starts sign-in' },
  [`GET ${apiPaths.callback}`]: { public: "the identity provider's redirect back; checks state, nonce and PKCE" },
  [`POST ${apiPaths.logout}`]: { anySignedInPerson: true },
  [`GET ${apiPaths.me}`]: { anySignedInPerson: true },
  [`GET ${apiPaths.audit}`]: { anySignedInPerson: true },
  [`GET ${apiPaths.fleet}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.cluster}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.clusterWorkloads}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.fleetHealth}`]: { underPrivileged: NOBODY },
  [`GET ${healthApiPaths.fleetHealthPanels}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.fleetRollouts}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.rollouts}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.rollout}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.inbox}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.rolloutReadiness}`]: { underPrivileged: NOBODY },
  // Approving needs `approve`, the rest `operate`: a Viewer holds neither.
  [`POST ${apiPaths.rolloutApprove}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutPause}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutResume}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutReject}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutAbort}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutRollback}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.rolloutUnpin}`]: { underPrivileged: VIEWER },
  [`GET ${apiPaths.clusterViolations}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.violations}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.violationsSummary}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.violationsCoverage}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.violationsTrends}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.violationsCsv}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.clusterHealth}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.deliveries}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.deliveriesSyncPreview}`]: { underPrivileged: NOBODY, query: '?labels=env%3Dproduction' },
  [`GET ${apiPaths.delivery}`]: { underPrivileged: NOBODY },
  [`GET ${apiPaths.clusterDeliveries}`]: { underPrivileged: NOBODY },
  // Delivery actions need `operate` (then each delivery's own `can`): a Viewer holds no `operate`.
  [`POST ${apiPaths.deliveryForceUpdate}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.deliveryPause}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.deliveryResume}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.deliverySync}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.deliveryRefresh}`]: { underPrivileged: VIEWER },
  [`POST ${apiPaths.deliveriesBulkSync}`]: { underPrivileged: VIEWER },
  [`GET ${apiPaths.events}`]: { underPrivileged: NOBODY },
  [`GET ${lokiApiPaths.queryRange}`]: { underPrivileged: NOBODY },
  [`GET ${lokiApiPaths.query}`]: { underPrivileged: NOBODY },
  [`GET ${lokiApiPaths.labels}`]: { underPrivileged: NOBODY },
  [`GET ${lokiApiPaths.labelValues}`]: { underPrivileged: NOBODY },
  [`GET ${lokiApiPaths.series}`]: { underPrivileged: NOBODY },
  [`GET ${logsApiPaths.tail}`]: { underPrivileged: NOBODY },
  [`GET ${logsApiPaths.scope}`]: { underPrivileged: NOBODY },
  // The Prometheus-compatible API: GET and form POST on each of its five paths.
  ...Object.fromEntries(
    Object.values(promApiPaths).flatMap((path) => [`GET ${path}`, `POST ${path}`].map((key) => [key, { underPrivileged: NOBODY }])),
  ),
};

let demo: RunningServer;
let real: RunningServer;
beforeAll(async () => {
  demo = await startDemoBff({ session: { secret: TEST_SESSION_SECRET } });
  // Real mode registers the OIDC routes instead of the demo login. Nothing listens at the
  // issuer: no case here needs the provider.
  real = await startRealModeBff();
});
afterAll(async () => {
  await demo?.close();
  await real?.close();
});

const servers = () =>
  [
    ['demo mode', demo],
    ['real mode', real],
  ] as const;

describe('the route table', () => {
  it('has a case for every registered route, and every case is a registered route', () => {
    const registered = new Set(servers().flatMap(([, s]) => s.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`)));
    const missing = [...registered].filter((r) => !(r in CASES));
    expect(missing, 'routes without a case in route-table.test.ts').toEqual([]);
    expect(
      Object.keys(CASES).filter((k) => !registered.has(k)),
      'cases for routes that do not exist',
    ).toEqual([]);
  });

  it('declares public only what the cases say is public', () => {
    for (const [, server] of servers()) {
      for (const route of server.routes) {
        const c = CASES[`${route.method.toUpperCase()} ${route.path}`]!;
        expect(route.permission.kind === 'public', `${route.method} ${route.path}`).toBe('public' in c);
      }
    }
  });

  for (const [mode, key] of [
    ['demo mode', 'demo'],
    ['real mode', 'real'],
  ] as const) {
    it(`refuses anonymous callers on every non-public route (${mode})`, async () => {
      const server = key === 'demo' ? demo : real;
      for (const route of server.routes) {
        const c = CASES[`${route.method.toUpperCase()} ${route.path}`]!;
        if ('public' in c) continue;
        const res = await fetch(`${server.url}${route.path}${c.query ?? ''}`, {
          method: route.method.toUpperCase(),
          headers: { origin: server.url },
        });
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      }
    });

    it(`refuses an under-privileged person on every route that needs a verb (${mode})`, async () => {
      const server = key === 'demo' ? demo : real;
      for (const route of server.routes) {
        const c = CASES[`${route.method.toUpperCase()} ${route.path}`]!;
        if (route.permission.kind === 'verb') {
          expect('underPrivileged' in c, `${route.path} needs a verb, so its case names an under-privileged person`).toBe(true);
          if (!('underPrivileged' in c)) continue;
          const res = await fetch(`${server.url}${route.path}${c.query ?? ''}`, {
            method: route.method.toUpperCase(),
            headers: { cookie: await forgeSessionCookie(c.underPrivileged), origin: server.url },
          });
          expect(res.status, `${route.method} ${route.path}`).toBe(403);
          expect(await res.text()).not.toMatch(/client-[abc]|prod-/);
        }
        if ('anySignedInPerson' in c && route.method === 'get') {
          // Explicitly open to everyone signed in: a person with no roles gets an answer, not an error.
          const res = await fetch(`${server.url}${route.path}`, { headers: { cookie: await forgeSessionCookie(NOBODY) } });
          expect(res.status, `${route.method} ${route.path}`).toBe(200);
        }
      }
    });
  }

  it("refuses anonymous (401) and under-privileged (403) callers on Loki's tail websocket, which is no Express route", async () => {
    for (const [mode, server] of servers()) {
      const anonymous = await wsTail(`${server.url}${LOKI_TAIL_WS_PATH}`, { query: '{container="web"}' }, { origin: server.url });
      expect(anonymous.status, mode).toBe(401);
      const nobody = await wsTail(
        `${server.url}${LOKI_TAIL_WS_PATH}`,
        { query: '{container="web"}' },
        { cookie: await forgeSessionCookie(NOBODY), origin: server.url },
      );
      expect(nobody.status, mode).toBe(403);
      expect('body' in nobody ? (JSON.parse(nobody.body) as { detail: string }).detail : '', mode).toMatch(/"viewLogs" permission/);
      expect('body' in nobody && nobody.body).not.toMatch(/client-[abc]|prod-/);
    }
  });

  it('answers a hidden cluster exactly like a missing one on every /api/clusters/:name route, and a visible one differently', async () => {
    const cookie = await forgeSessionCookie({ user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] });
    const perCluster = demo.routes.filter((r) => r.path.startsWith('/api/clusters/:name'));
    expect(perCluster.length).toBeGreaterThanOrEqual(4);
    const norm = (body: string, name: string) =>
      body
        .replaceAll(name, '<name>')
        .replace(/"requestId":"[^"]*"/, '')
        .replace(/"instance":"[^"]*"/, '');
    for (const route of perCluster) {
      const at = async (name: string) => {
        const res = await fetch(`${demo.url}${route.path.replace(':name', name)}`, { headers: { cookie } });
        return { status: res.status, body: norm(await res.text(), name) };
      };
      const [hidden, missing, visible] = [await at('prod-eu-west'), await at('no-such-cluster'), await at('prod-us-east')];
      expect(hidden.status, route.path).toBe(404);
      expect(missing.status, route.path).toBe(404);
      expect(hidden.body, route.path).toBe(missing.body);
      expect(visible.body, route.path).not.toBe(missing.body);
    }
  });

  it('ends sessions past their idle timeout or lifetime with 401 and a reason', async () => {
    const hourAgo = Date.now() - 3600_000 - 1000;
    const idle = await fetch(`${demo.url}${apiPaths.me}`, {
      headers: { cookie: await forgeSessionCookie(NOBODY, { lastSeenAt: hourAgo }) },
    });
    expect(idle.status).toBe(401);
    expect(((await idle.json()) as { detail: string }).detail).toMatch(/idle too long/);
    const old = await fetch(`${demo.url}${apiPaths.me}`, {
      headers: { cookie: await forgeSessionCookie(NOBODY, { issuedAt: Date.now() - 9 * 3600_000 }) },
    });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { detail: string }).detail).toMatch(/maximum lifetime/);
  });

  it('ignores client-sent Impersonate-*, Authorization and tenant headers', async () => {
    const res = await fetch(`${demo.url}${apiPaths.me}`, {
      headers: {
        cookie: await forgeSessionCookie(NOBODY),
        'impersonate-user': 'admin',
        'impersonate-group': 'fleet-platform-admins',
        authorization: 'Bearer x',
        'x-scope-orgid': 'client-b',
      },
    });
    const me = (await res.json()) as { principal: Principal; scope: { grants: unknown[] } };
    expect(me.principal).toEqual(NOBODY);
    expect(me.scope.grants).toEqual([]);
  });
});
