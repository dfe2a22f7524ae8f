import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { CSRF_HEADER, Me, Rollout, RolloutActionResult, STEP_UP_PROBLEM_TYPE } from '@fleetdeck/shared';
import { CookieJar, MFA_ACR, TESTBED_OTP, browserFetch, signInThroughProvider } from '@fleetdeck/testbed/browser-login';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import type { ConfigInput } from '../../src/config/schema.ts';
import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';

/**
 * Multi-factor sign-in and step-up, through the testbed's real OIDC provider: it issues
 * `amr: ["pwd"]` for a password and `amr: ["pwd","otp","mfa"]` with the one-time code, and
 * demands the code when asked for `acr_values=urn:fleetdeck:mfa`. Its login page states what
 * it was asked (prompt, acr_values, its reasons), which is how the test sees the provider's side.
 *
 * The BFFs listen on ephemeral ports; their redirect URL is one the provider has registered
 * (nothing listens there), and the test carries the provider's redirect over to the BFF as a
 * browser following it would.
 */
const env = inject('testbed');
const REDIRECT = 'http://127.0.0.1:18090/api/auth/callback';
const ORIGIN = new URL(REDIRECT).origin;
const REFRESH_S = 3;
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const NS = 'fleet-client-a';
const RUN = `mfa-${Date.now().toString(36)}`;
const STRATEGY = `${RUN}-waves`;
const ID = `kubefleet-namespaced~${NS}~${RUN}`;
const APPROVAL = `${P}/namespaces/${NS}/approvalrequests/${RUN}-before-prod`;

const userOf = (name: string) => env.oidc.users.find((u) => u.user === name)!;
const ADA = userOf('client-a-admin@demo');
const VIC = userOf('client-b-viewer@demo');

function bffConfig(mfa: { acrValues?: string; acceptAcr?: string[] }): ConfigInput {
  return {
    mode: 'real',
    session: { secret: 'x'.repeat(40), groupsRefreshSeconds: REFRESH_S },
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        clientSecret: env.oidc.clientSecret,
        redirectUrl: REDIRECT,
        allowInsecureHttp: true,
      },
    },
    inventory: { sources: ['kubefleet'], hubKubeconfig: env.hub.bffKubeconfig },
    prometheus: { url: env.prometheus.url },
    promotion: { mfa },
    accessPolicy: {
      roles: {
        'platform-admin': ['view', 'viewLogs', 'viewSecrets', 'approve', 'operate'],
        'tenant-admin': ['view', 'viewLogs', 'viewSecrets', 'approve', 'operate'],
        developer: ['view', 'viewLogs'],
        viewer: ['view', 'viewLogs'],
      },
      bindings: [
        { group: 'fleet-platform-admins', role: 'platform-admin', tenants: '*' },
        { groupPattern: 'tenant-{tenant}-admins', role: 'tenant-admin' },
        { groupPattern: 'tenant-{tenant}-viewers', role: 'viewer' },
        { group: 'fleet-viewers', role: 'viewer', tenants: '*' },
      ],
      approvers: [{ stages: 'prod*', approvals: 1, mfa: true }],
    },
  };
}

let bff: RunningServer;
/** The same, without acr_values: the provider is asked to re-authenticate but not for the code. */
let bffNoAcr: RunningServer;

async function control(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${env.control.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`control ${path}: ${res.status}`);
}

beforeAll(async () => {
  await admin.expectOk('POST', `${P}/namespaces/${NS}/stagedupdatestrategies`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateStrategy',
      metadata: { name: STRATEGY, namespace: NS },
      spec: {
        stages: [
          {
            name: 'prod',
            labelSelector: { matchLabels: { client: 'client-a', env: 'production', region: 'us-west' } },
            beforeStageTasks: [{ type: 'Approval' }],
          },
        ],
      },
    },
  });
  await admin.expectOk('POST', `${P}/namespaces/${NS}/stagedupdateruns`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateRun',
      metadata: { name: RUN, namespace: NS },
      spec: { placementName: `${RUN}-app`, resourceSnapshotIndex: '2', stagedRolloutStrategyName: STRATEGY, state: 'Run' },
    },
  });
  bff = await startDemoBff(bffConfig({ acrValues: MFA_ACR }));
  bffNoAcr = await startDemoBff(bffConfig({}));
});
afterAll(async () => {
  await bff?.close();
  await bffNoAcr?.close();
  await control('/idp/groups', { user: VIC.user, groups: VIC.groups });
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdateruns/${RUN}`);
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdatestrategies/${STRATEGY}`);
});

/**
 * One sign-in as a browser does it: the BFF's login URL (whose redirect to the provider is
 * returned), the provider's pages (what it showed), and the BFF's answer to the callback.
 */
async function signIn(base: string, jar: CookieJar, who: { user: string; password: string }, query: string, otp?: string) {
  const start = await browserFetch(jar, new URL(`/api/auth/login?${query}`, base));
  expect(start.status).toBe(303);
  const toProvider = new URL(start.headers.get('location')!);
  const { callback, pages } = await signInThroughProvider({
    start: toProvider,
    user: who.user,
    password: who.password,
    stopAt: REDIRECT,
    jar,
    ...(otp !== undefined && { otp }),
  });
  const done = await browserFetch(jar, new URL(`/api/auth/callback${callback.search}`, base));
  return { toProvider, pages, done };
}

async function me(base: string, jar: CookieJar): Promise<Me> {
  const res = await browserFetch(jar, new URL('/api/me', base));
  expect(res.status).toBe(200);
  return Me.parse(await res.json());
}

describe('sign-in with and without a second factor', () => {
  it('a password sign-in: principal.mfa is false; the provider was not asked for more', async () => {
    const jar = new CookieJar();
    const { toProvider, pages, done } = await signIn(bff.url, jar, ADA, 'returnTo=%2Ffleet');
    expect(toProvider.searchParams.get('prompt')).toBeNull();
    expect(toProvider.searchParams.get('acr_values')).toBeNull();
    expect(pages).toEqual([expect.objectContaining({ reasons: ['no_session'], secondFactorRequired: false })]);
    expect(pages[0]!.acrValues).toBeUndefined();
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/fleet');
    expect((await me(bff.url, jar)).principal).toMatchObject({ user: ADA.user, mfa: false });
  });

  it('a sign-in with the one-time code: principal.mfa is true (amr has "mfa")', async () => {
    const jar = new CookieJar();
    const { done } = await signIn(bff.url, jar, ADA, 'returnTo=%2Ffleet', TESTBED_OTP);
    expect(done.status).toBe(303);
    expect((await me(bff.url, jar)).principal).toMatchObject({ user: ADA.user, mfa: true });
  });

  it('MFA survives session renewal (the groups are re-read, the second factor is kept); no MFA is not gained', async () => {
    const withMfa = new CookieJar();
    const without = new CookieJar();
    await signIn(bff.url, withMfa, VIC, '', TESTBED_OTP);
    await signIn(bff.url, without, VIC, '');
    await control('/idp/groups', { user: VIC.user, groups: [...VIC.groups, 'fleet-viewers'] });
    await new Promise((r) => setTimeout(r, REFRESH_S * 1000 + 300));
    const renewed = await me(bff.url, withMfa);
    // The new group proves the session was renewed with the provider.
    expect(renewed.principal.groups).toContain('fleet-viewers');
    expect(renewed.principal.mfa).toBe(true);
    const renewedWithout = await me(bff.url, without);
    expect(renewedWithout.principal.groups).toContain('fleet-viewers');
    expect(renewedWithout.principal.mfa).toBe(false);
  });
});

describe('step-up: GET /api/auth/login?stepUp=mfa', () => {
  it('asks the provider to sign the person in again with MFA, though its session would have let them through', async () => {
    const jar = new CookieJar();
    await signIn(bff.url, jar, ADA, '');
    expect((await me(bff.url, jar)).principal.mfa).toBe(false);
    // Control: an ordinary sign-in now goes straight through the provider's session.
    expect((await signIn(bff.url, jar, ADA, '')).pages).toEqual([]);

    const returnTo = `/rollouts/${encodeURIComponent(ID)}?wave=prod`;
    const { toProvider, pages, done } = await signIn(bff.url, jar, ADA, `stepUp=mfa&returnTo=${encodeURIComponent(returnTo)}`, TESTBED_OTP);
    expect(Object.fromEntries(['prompt', 'max_age', 'acr_values'].map((k) => [k, toProvider.searchParams.get(k)]))).toEqual({
      prompt: 'login',
      max_age: '0',
      acr_values: MFA_ACR,
    });
    // What the provider itself received: a login prompt, for the multi-factor level.
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ prompt: 'login', acrValues: MFA_ACR, secondFactorRequired: true });
    expect(pages[0]!.reasons).toContain('login_prompt');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(returnTo);
    expect((await me(bff.url, jar)).principal).toMatchObject({ user: ADA.user, mfa: true });
  });

  it('the provider does not finish a step-up without the one-time code, or with a wrong one', async () => {
    const jar = new CookieJar();
    await signIn(bff.url, jar, ADA, '');
    const stepUp = async (otp?: string) => {
      const start = await browserFetch(jar, new URL('/api/auth/login?stepUp=mfa', bff.url));
      return signInThroughProvider({
        start: new URL(start.headers.get('location')!),
        user: ADA.user,
        password: ADA.password,
        stopAt: REDIRECT,
        jar,
        ...(otp !== undefined && { otp }),
      });
    };
    await expect(stepUp()).rejects.toThrow(/with 401: .*This sign-in needs your one-time code/s);
    await expect(stepUp('000000')).rejects.toThrow(/with 401: .*Wrong one-time code/s);
    expect((await me(bff.url, jar)).principal.mfa).toBe(false);
  });

  it('a step-up the provider completed without a second factor is refused, and the session before it is kept', async () => {
    const jar = new CookieJar();
    await signIn(bffNoAcr.url, jar, ADA, '');
    const before = await me(bffNoAcr.url, jar);
    const { toProvider, pages, done } = await signIn(bffNoAcr.url, jar, ADA, 'stepUp=mfa&returnTo=%2Frollouts');
    expect(toProvider.searchParams.get('prompt')).toBe('login');
    expect(toProvider.searchParams.get('acr_values')).toBeNull();
    expect(pages[0]).toMatchObject({ prompt: 'login', secondFactorRequired: false });
    expect(done.status).toBe(401);
    expect(done.headers.get('location')).toBeNull();
    expect(((await done.json()) as { detail: string }).detail).toMatch(/did not confirm a second factor/);
    const after = await me(bffNoAcr.url, jar);
    expect(after.principal.mfa).toBe(false);
    expect(after.csrfToken).toBe(before.csrfToken);
  });

  it('refuses an off-site returnTo before going to the provider', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example']) {
      const res = await browserFetch(
        new CookieJar(),
        new URL(`/api/auth/login?stepUp=mfa&returnTo=${encodeURIComponent(returnTo)}`, bff.url),
      );
      expect(res.status, returnTo).toBe(400);
      expect(res.headers.get('location'), returnTo).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    // Repeated or nested parameters are refused by the schema too.
    expect((await fetch(new URL('/api/auth/login?stepUp=mfa&stepUp=mfa', bff.url), { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(new URL('/api/auth/login?stepUp=otp', bff.url), { redirect: 'manual' })).status).toBe(400);
  });
});

describe('approving a production wave needs MFA (approver rule {stages: "prod*", mfa: true})', () => {
  const approvedOnHub = async () => {
    const a = await admin.expectOk<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', APPROVAL);
    return a.status?.conditions?.some((c) => c.type === 'Approved' && c.status === 'True') ?? false;
  };
  const approve = async (jar: CookieJar) => {
    const { csrfToken } = await me(bff.url, jar);
    return browserFetch(jar, new URL(`/api/rollouts/${encodeURIComponent(ID)}/waves/prod/approve`, bff.url), {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', [CSRF_HEADER]: csrfToken },
      body: JSON.stringify({ comment: 'mfa test', notReadyReason: 'the testbed wave has no workload to judge' }),
    });
  };

  it('without MFA: 401 step-up problem, nothing written; after the step-up: approved on the hub', async () => {
    const jar = new CookieJar();
    await signIn(bff.url, jar, ADA, '');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await browserFetch(jar, new URL(`/api/rollouts/${encodeURIComponent(ID)}`, bff.url));
      if (res.status === 200 && Rollout.parse(await res.json()).awaitingApproval?.wave === 'prod') break;
      if (Date.now() > deadline) throw new Error('the run never waited at prod');
      await new Promise((r) => setTimeout(r, 250));
    }
    const refused = await approve(jar);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await refused.json()) as { type: string }).type).toBe(STEP_UP_PROBLEM_TYPE);
    expect(await approvedOnHub()).toBe(false);

    const returnTo = `/rollouts/${encodeURIComponent(ID)}`;
    const stepped = await signIn(bff.url, jar, ADA, `stepUp=mfa&returnTo=${encodeURIComponent(returnTo)}`, TESTBED_OTP);
    expect(stepped.done.headers.get('location')).toBe(returnTo);
    const ok = await approve(jar);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(RolloutActionResult.parse(await ok.json())).toMatchObject({ outcome: 'done' });
    expect(await approvedOnHub()).toBe(true);
  });
});
