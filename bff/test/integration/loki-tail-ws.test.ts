import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { Problem, type Principal } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { LOKI_TAIL_WS_PATH } from '../../src/routes/loki-tail-ws.ts';
import type { RunningServer } from '../../src/server.ts';
import { startRealModeBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';
import { pushLines } from '../helpers/loki-push.ts';
import { wsTail, type WsTail } from '../helpers/ws-tail.ts';

/**
 * Loki's tail websocket at /api/loki/api/v1/tail (what Grafana and logcli open), against
 * the testbed's Loki-API stand-in: the same scope, permission and checks as
 * GET /api/logs/tail, refusals answered as HTTP problems before any upgrade.
 */
const env = inject('testbed');

const ADMIN: Principal = { user: 'admin@example.com', groups: ['fleet-platform-admins'] };
const A_DEV: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const B_VIEWER: Principal = { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] };

let bff: RunningServer;
/** Viewers may see the fleet but not read logs: a policy without `viewLogs` for them. */
let noLogs: RunningServer;

beforeAll(async () => {
  bff = await startRealModeBff({ overrides: { loki: { url: env.loki.url } } });
  noLogs = await startRealModeBff({
    overrides: {
      loki: { url: env.loki.url },
      accessPolicy: { ...DEFAULT_ACCESS_POLICY, roles: { ...DEFAULT_ACCESS_POLICY.roles, viewer: ['view'] } },
    },
  });
});
afterAll(async () => {
  await bff?.close();
  await noLogs?.close();
});

const waitFor = async (check: () => boolean, what: string, ms = 8000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const push = (streams: { labels: Record<string, string>; line: string }[]) => pushLines(env.loki, streams);

const now = () => String(Math.floor(Date.now() / 1000));
const tailUrl = (s: RunningServer) => `${s.url}${LOKI_TAIL_WS_PATH}`;

function open(t: WsTail) {
  if (!('frames' in t)) throw new Error(`expected an upgrade, got ${t.status}: ${t.body}`);
  return t;
}

function refusal(t: WsTail, status: number) {
  expect('frames' in t, `refused with ${status}, not upgraded`).toBe(false);
  if ('frames' in t) return;
  expect(t.status).toBe(status);
  const problem = Problem.parse(JSON.parse(t.body));
  expect(problem.status).toBe(status);
  return problem;
}

describe(`websocket ${LOKI_TAIL_WS_PATH}`, () => {
  it("gives a Developer their namespace's line in Loki's frames, never the other tenant's line pushed beside it", async () => {
    const run = randomUUID().slice(0, 8);
    const container = `ws-${run}`;
    const params = { query: `{container="${container}"}`, start: now(), limit: '50' };
    // A browser on this site sends its own Origin: allowed. The Platform Admin sees every line, so proves each was pushed.
    const dev = open(await wsTail(tailUrl(bff), params, { cookie: await forgeSessionCookie(A_DEV), origin: bff.url }));
    const admin = open(await wsTail(tailUrl(bff), params, { cookie: await forgeSessionCookie(ADMIN) }));
    const line = (name: string) => `${name} ${run}`;
    // The foreign lines first: had they passed, they would arrive before the Developer's own.
    await push([
      { labels: { cluster: 'prod-eu-west', namespace: 'client-b-apps', container, tenant: 'client-b' }, line: line('B-PROD') },
      { labels: { cluster: 'client-a-staging', namespace: 'platform-system', container, tenant: 'client-a' }, line: line('A-PLATFORM') },
      { labels: { cluster: 'client-a-staging', namespace: 'client-a-apps', container, tenant: 'client-a' }, line: line('A-STG') },
    ]);
    const all = ['B-PROD', 'A-PLATFORM', 'A-STG'].map(line);
    await waitFor(() => all.every((l) => admin.lines().includes(l)), "the Platform Admin's lines");
    await waitFor(() => dev.lines().includes(line('A-STG')), "the Developer's line");
    await new Promise((r) => setTimeout(r, 300));
    expect(admin.lines().sort()).toEqual([...all].sort());
    expect(dev.lines()).toEqual([line('A-STG')]);
    // Loki's frame: label set and [unix-ns string, line]; dropped_entries null or a list.
    for (const f of dev.frames) {
      expect(Object.keys(f).sort()).toEqual(['dropped_entries', 'streams']);
      expect(f.dropped_entries === null || Array.isArray(f.dropped_entries)).toBe(true);
      for (const s of f.streams) {
        expect(s.stream).toMatchObject({ cluster: 'client-a-staging', namespace: 'client-a-apps' });
        for (const [ts] of s.values) expect(ts).toMatch(/^\d{19}$/);
      }
    }
    expect(JSON.stringify(dev.frames)).not.toMatch(/client-b|prod-eu-west|platform-system/);
    expect(dev.closed()).toBeUndefined();
    dev.leave();
    admin.leave();
  });

  it('refuses a foreign Origin with 403 and no frames, even with a valid session', async () => {
    const t = await wsTail(
      tailUrl(bff),
      { query: '{container=~".+"}', start: now() },
      {
        cookie: await forgeSessionCookie(ADMIN),
        origin: 'https://evil.example',
      },
    );
    expect(refusal(t, 403)?.detail).toMatch(/cross-origin/);
    // `Origin: null` (sandboxed frames) is never this site either.
    refusal(await wsTail(tailUrl(bff), { query: '{container="x"}' }, { cookie: await forgeSessionCookie(ADMIN), origin: 'null' }), 403);
  });

  it('refuses no session with 401, and a person whose roles lack viewLogs with 403', async () => {
    expect(refusal(await wsTail(tailUrl(bff), { query: '{container="x"}' }), 401)?.detail).toMatch(/sign in/);
    const cookie = await forgeSessionCookie(B_VIEWER);
    const denied = await wsTail(tailUrl(noLogs), { query: '{container="x"}' }, { cookie });
    // The permission check itself (as on /api/logs/tail), not only the empty log scope behind it.
    expect(refusal(denied, 403)?.detail).toBe('this needs the "viewLogs" permission, which none of your roles grants');
    // The same person where Viewers may read logs is upgraded: the policy made the difference.
    open(await wsTail(tailUrl(bff), { query: '{container="x"}', start: now() }, { cookie })).leave();
  });

  it('refuses bad parameters with 400 problem JSON before upgrading, and other upgrade paths with 404', async () => {
    const cookie = await forgeSessionCookie(A_DEV);
    for (const params of [
      { query: 'count_over_time({container="web"}[5m])' },
      { query: '{container="web"} |= ' },
      { query: '{container="web"}', limit: '100000' },
      { query: '{container="web"}', delay_for: '6' },
      { query: '{container="web"}', start: String(Math.floor(Date.now() / 1000) - 2 * 3600) },
      { query: '{container="web"}', extra: '1' },
    ] as Record<string, string>[])
      refusal(await wsTail(tailUrl(bff), params, { cookie }), 400);
    refusal(await wsTail(`${bff.url}/api/loki/api/v1/query`, { query: '{container="web"}' }, { cookie }), 404);
  });
});
