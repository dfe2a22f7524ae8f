import { unsealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { CookieJar, browserFetch, signInThroughProvider } from '@fleetdeck/testbed/browser-login';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import { CSRF_HEADER, Me, apiPaths } from '@fleetdeck/shared';

import { BFF_LEASE_ROLE, BFF_USER } from '../../../testbed/src/kube/rbac.ts';
import { REVOCATIONS_KEY, REVOCATIONS_SECRET, sidHash } from '../../src/auth/hub-revocation-entries.ts';
import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * Two real-mode BFF replicas on one testbed, as behind a load balancer: the same session
 * secret and public URL, their own Lease namespace (so the hub revocation Secret is this
 * file's alone). A session signed in through the real provider on one is served by the
 * other; a sign-out on one is refused by the other through the hub Secret, which holds only
 * a hash of the session id; a restarted replica reads it at start. Live events: an id from
 * one replica means `resync` on the other, which then streams the hub's changes.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const STAMP = Date.now().toString(36);
const LEASE_NS = `replicas-${STAMP}`;
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const RUN_NS = 'fleet-client-a';
const STRATEGY = `rep-${STAMP}-waves`;
const RUN = `rep-${STAMP}-run`;
// The public address both replicas are configured with (the load balancer's, registered at the
// provider); nothing listens there, so the test needs no fixed port: the provider's redirect
// to it is delivered to replica A, as a load balancer would.
const PUBLIC = 'http://127.0.0.1:18090';
const user = env.oidc.users.find((u) => u.user === 'platform-admin@demo')!;

let a: RunningServer | undefined;
let b: RunningServer | undefined;
const start = () =>
  startTestbedBff(env, {
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        clientSecret: env.oidc.clientSecret,
        redirectUrl: `${PUBLIC}/api/auth/callback`,
        allowInsecureHttp: true,
      },
    },
    promotion: { lease: { namespace: LEASE_NS } },
  });

/** A session made the way a browser makes one: through the provider, on replica A. */
async function signInOnA(): Promise<{ cookie: string; sid: string; csrf: string }> {
  const jar = new CookieJar();
  const { callback } = await signInThroughProvider({
    start: new URL(`${a!.url}/api/auth/login?returnTo=%2Ffleet`),
    user: user.user,
    password: user.password,
    stopAt: `${PUBLIC}/api/auth/callback`,
    jar,
  });
  expect((await browserFetch(jar, new URL(callback.pathname + callback.search, a!.url))).status).toBe(303);
  const cookie = jar.header(new URL(a!.url));
  const sealed = decodeURIComponent(/fleetdeck_session=([^;]+)/.exec(cookie)![1]!);
  const { sid } = await unsealData<{ sid: string }>(sealed, { password: TEST_SESSION_SECRET });
  expect(sid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  const me = Me.parse(await (await fetch(`${a!.url}/api/me`, { headers: { cookie } })).json());
  return { cookie, sid, csrf: me.csrfToken };
}

const me = (bff: RunningServer, cookie: string) => fetch(`${bff.url}/api/me`, { headers: { cookie } });

async function hubSecretText(): Promise<string | undefined> {
  const res = await admin.request('GET', `/api/v1/namespaces/${LEASE_NS}/secrets/${REVOCATIONS_SECRET}`);
  return res.status === 200 ? res.text : undefined;
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** GET /api/events, every frame collected as it arrives; `until` waits for one matching. */
async function stream(base: string, cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, {
    headers: { cookie, ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const frames: Frame[] = [];
  let ended = false;
  void (async () => {
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame: Frame = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) frame[m[1] as keyof Frame] = m[2]!;
          }
          buffer = buffer.slice(end + 2);
          if (frame.event) frames.push(frame);
        }
      }
    } catch {
      // Aborted by the test, or the replica went away.
    }
    ended = true;
  })();
  return {
    frames,
    ended: () => ended,
    async until(match: (f: Frame) => boolean, what: string, timeoutMs = 15_000): Promise<Frame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frames.find(match);
        if (f) return f;
        if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms (saw ${frames.map((x) => x.event).join(', ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => controller.abort(),
  };
}

let session: { cookie: string; sid: string; csrf: string };
let control: { cookie: string; sid: string; csrf: string };

beforeAll(async () => {
  // The Lease namespace exists before the BFF starts (the chart's release namespace), with the BFF's Role bound there.
  await admin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEASE_NS } } });
  await admin.expectOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${LEASE_NS}/rolebindings`, {
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'bff-lease', namespace: LEASE_NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: BFF_LEASE_ROLE },
      subjects: [{ kind: 'User', name: BFF_USER, apiGroup: 'rbac.authorization.k8s.io' }],
    },
  });
  await admin.expectOk('POST', `${P}/namespaces/${RUN_NS}/stagedupdatestrategies`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateStrategy',
      metadata: { name: STRATEGY, namespace: RUN_NS },
      spec: { stages: [{ name: 'staging', labelSelector: { matchLabels: { client: 'client-a', env: 'staging' } } }] },
    },
  });
  a = await start();
  b = await start();
  session = await signInOnA();
  control = await signInOnA();
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await admin.request('DELETE', `${P}/namespaces/${RUN_NS}/stagedupdateruns/${RUN}`);
  await admin.request('DELETE', `${P}/namespaces/${RUN_NS}/stagedupdatestrategies/${STRATEGY}`);
  await admin.request('DELETE', `/api/v1/namespaces/${LEASE_NS}`);
});

describe('two BFF replicas on one testbed', () => {
  it('a session signed in on one replica is served by the other (sealed cookie, shared secret)', async () => {
    for (const bff of [a!, b!]) {
      const res = await me(bff, session.cookie);
      expect(res.status).toBe(200);
      expect(Me.parse(await res.json()).principal.user).toBe(user.user);
    }
    // Nothing is revoked yet: the hub holds no list, or one without this session.
    expect((await hubSecretText()) ?? '').not.toContain(sidHash(session.sid));
  });

  it('a sign-out on A is refused on A at once and on B within seconds; the hub holds a hash of the id, never the id', async () => {
    const out = await fetch(`${a!.url}${apiPaths.logout}`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: PUBLIC, [CSRF_HEADER]: session.csrf },
    });
    expect(out.status).toBe(200);
    const onA = await me(a!, session.cookie);
    expect(onA.status).toBe(401);
    expect(await onA.text()).toContain('this session was signed out');

    const signedOutAt = Date.now();
    let onB = await me(b!, session.cookie);
    while (onB.status === 200 && Date.now() - signedOutAt < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      onB = await me(b!, session.cookie);
    }
    expect(onB.status).toBe(401);
    expect(await onB.text()).toContain('this session was signed out');
    process.stderr.write(`[replicas] sign-out on A refused on B after ${Date.now() - signedOutAt} ms\n`);
    // Only that session: the same person's other session still works on both.
    expect((await me(a!, control.cookie)).status).toBe(200);
    expect((await me(b!, control.cookie)).status).toBe(200);

    const text = await hubSecretText();
    expect(text).toBeDefined();
    const secret = JSON.parse(text!) as { data: Record<string, string> };
    const records = Buffer.from(secret.data[REVOCATIONS_KEY]!, 'base64');
    expect(records.toString('hex')).toContain(sidHash(session.sid));
    expect(records.toString('hex')).not.toContain(sidHash(control.sid));
    for (const form of [text!, records.toString('latin1'), records.toString('base64url'), records.toString('hex')])
      expect(form).not.toContain(session.sid);
  });

  it('sign-outs at the same moment on both replicas all land on the hub (read-merge-write with resourceVersion)', async () => {
    const people = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const cookie = await forgeSessionCookie({ user: `replica-${i}@example.com`, groups: ['fleet-viewers'] });
        const { sid } = await unsealData<{ sid: string }>(cookie.slice('fleetdeck_session='.length), { password: TEST_SESSION_SECRET });
        const bff = i % 2 === 0 ? a! : b!;
        const res = await me(bff, cookie);
        expect(res.status).toBe(200);
        return { cookie, sid, bff, other: bff === a ? b! : a!, csrf: Me.parse(await res.json()).csrfToken };
      }),
    );
    const outs = await Promise.all(
      people.map((p) =>
        fetch(`${p.bff.url}${apiPaths.logout}`, { method: 'POST', headers: { cookie: p.cookie, origin: PUBLIC, [CSRF_HEADER]: p.csrf } }),
      ),
    );
    expect(outs.map((r) => r.status)).toEqual(people.map(() => 200));
    // Every hash ends up in the one Secret: none lost to a concurrent write, the earlier one kept.
    await expect
      .poll(
        async () => {
          const text = await hubSecretText();
          const hex = text
            ? Buffer.from((JSON.parse(text) as { data: Record<string, string> }).data[REVOCATIONS_KEY]!, 'base64').toString('hex')
            : '';
          return [session, ...people].filter((p) => !hex.includes(sidHash(p.sid))).length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(0);
    for (const p of people) await expect.poll(async () => (await me(p.other, p.cookie)).status, { timeout: 10_000 }).toBe(401);
  });

  it('a restarted replica reads the list at start and refuses the signed-out cookie on its first request', async () => {
    await b!.close();
    b = await start();
    const res = await me(b, session.cookie);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('this session was signed out');
    expect((await me(b, control.cookie)).status).toBe(200);
  });

  it('live events: a stream on A that dies resumes on B as `resync` (ids are per replica); B then streams hub changes', async () => {
    const onA = await stream(a!.url, control.cookie);
    const lastId = (await onA.until((f) => f.event === 'ready', 'ready on A')).id!;
    expect(lastId).toBeTruthy();
    await a!.close();
    a = undefined;
    await expect.poll(() => onA.ended(), { timeout: 10_000 }).toBe(true);

    // The browser's EventSource reconnects (to whichever replica) with the last id it saw.
    const onB = await stream(b!.url, control.cookie, lastId);
    await onB.until((f) => f.event === 'ready', 'ready on B');
    expect(onB.frames[0]?.event).toBe('resync');
    const bId = onB.frames.find((f) => f.event === 'ready')!.id!;

    await admin.expectOk('POST', `${P}/namespaces/${RUN_NS}/stagedupdateruns`, {
      body: {
        apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
        kind: 'StagedUpdateRun',
        metadata: { name: RUN, namespace: RUN_NS },
        spec: { placementName: `${RUN}-app`, resourceSnapshotIndex: '1', stagedRolloutStrategyName: STRATEGY, state: 'Initialize' },
      },
    });
    const change = await onB.until((f) => f.event === 'rollout' && (f.data ?? '').includes(RUN), `a rollout event for ${RUN} on B`);
    expect(JSON.parse(change.data!)).toMatchObject({ type: 'upsert', rollout: { id: `kubefleet-namespaced~${RUN_NS}~${RUN}` } });
    onB.close();

    // B's own id resumes on B: what happened since is replayed, no resync.
    const again = await stream(b!.url, control.cookie, bId);
    await again.until((f) => f.event === 'ready', 'ready on B again');
    expect(again.frames.map((f) => f.event)).not.toContain('resync');
    expect(again.frames.some((f) => f.event === 'rollout' && (f.data ?? '').includes(RUN))).toBe(true);
    again.close();
  });
});
