import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod/mini';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import { APPROVALS_ANNOTATION, RecordedApproval, Rollout, RolloutActionResult } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { createClientARun, createClientAStrategy } from '../helpers/kubefleet-hub.ts';
import { Person } from '../helpers/rollout-client.ts';
import { PERSONAS } from '../helpers/rollout-fixtures.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * The approver policy on the testbed hub with the KubeFleet stand-in: a rule needing two
 * distinct approvers on the `staging` stage. Partial approvals are recorded in the request's
 * `fleetdeck.dev/approvals` annotation (read on the hub as the testbed admin), the second
 * person's approval writes the Approved condition, the same person never counts twice, and
 * two approvers at once through two BFF replicas are counted one after the other.
 *
 * Prometheus is configured at an address nothing listens on: readiness cannot be checked
 * because an upstream fails, so an approval must carry a reason.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const NS = 'fleet-client-a';
const STAMP = Date.now().toString(36);
const STRATEGY = `ap-${STAMP}-waves`;
const SEQ = `ap-seq-${STAMP}`;
const RACE = `ap-race-${STAMP}`;
const REPAIR = `ap-repair-${STAMP}`;
const idOf = (run: string) => `kubefleet-namespaced~${NS}~${run}`;
const requestPath = (run: string) => `${P}/namespaces/${NS}/approvalrequests/${run}-after-staging`;
const approvePath = (run: string) => `/api/rollouts/${idOf(run)}/waves/staging/approve`;
const REASON = 'hotfix for an outage; metrics are down';

interface Approval {
  metadata: { generation: number; annotations?: Record<string, string> };
  status?: { conditions?: { type: string; status: string; message?: string; observedGeneration?: number }[] };
}

const policy = {
  ...DEFAULT_ACCESS_POLICY,
  approvers: [{ stages: 'staging', approvals: 2, groups: [], mfa: false }],
};
const second = { user: 'client-a-admin-2@demo', groups: ['tenant-client-a-admins'] };

let one: RunningServer;
let two: RunningServer;
const on1 = {} as { a: Person; a2: Person; dev: Person };
const on2 = {} as { a: Person; a2: Person };

const run = (name: string) => createClientARun(admin, { name, strategy: STRATEGY, snapshot: '3' });

beforeAll(async () => {
  await createClientAStrategy(admin, STRATEGY);
  await run(SEQ);
  await run(RACE);
  await run(REPAIR);
  const overrides = { accessPolicy: policy, prometheus: { url: 'http://127.0.0.1:9' } };
  [one, two] = await Promise.all([startTestbedBff(env, overrides), startTestbedBff(env, overrides)]);
  const signIn = (bff: RunningServer, p: { user: string; groups: string[] }) =>
    Person.signIn(bff.url, p, { origin: new URL(bff.services.config.auth.oidc!.redirectUrl).origin });
  on1.a = await signIn(one, PERSONAS.clientAAdmin);
  on1.a2 = await signIn(one, second);
  on1.dev = await signIn(one, PERSONAS.clientADev);
  on2.a = await signIn(two, PERSONAS.clientAAdmin);
  on2.a2 = await signIn(two, second);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  for (const name of [SEQ, RACE, REPAIR]) await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdateruns/${name}`);
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdatestrategies/${STRATEGY}`);
});

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 250 });
const detail = async (p: Person, name: string) => Rollout.parse(await p.json(`/api/rollouts/${idOf(name)}`));
const waiting = (p: Person, name: string) =>
  eventually(`${name} waiting at staging`, async () => {
    const d = await detail(p, name);
    return d.awaitingApproval?.wave === 'staging' ? d : undefined;
  });
const onHub = async (name: string) => {
  const a = await admin.expectOk<Approval>('GET', requestPath(name));
  const text = a.metadata.annotations?.[APPROVALS_ANNOTATION];
  return {
    approval: a,
    recorded: text === undefined ? [] : z.array(RecordedApproval).parse(JSON.parse(text)),
    approved: a.status?.conditions?.filter((c) => c.type === 'Approved' && c.status === 'True') ?? [],
  };
};
const result = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBe(200);
  return RolloutActionResult.parse(await res.json());
};

describe('approver policy on the testbed (two approvers on staging)', () => {
  it('refuses a not-ready approval without a reason (422); nothing is written to the hub', async () => {
    await waiting(on1.a, SEQ);
    const res = await on1.a.post(approvePath(SEQ), { comment: 'go' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /^wave staging is not ready \(.+\): give a reason to approve anyway$/,
    );
    expect((await onHub(SEQ)).recorded).toEqual([]);
    // A Developer is refused before any of that (no approve permission).
    expect((await on1.dev.post(approvePath(SEQ), { notReadyReason: REASON })).status).toBe(403);
  });

  it('records the first approval without releasing the gate; the same person again counts once', async () => {
    const first = await result(await on1.a.post(approvePath(SEQ), { comment: 'staging is green', notReadyReason: REASON }));
    expect(first).toMatchObject({ outcome: 'done', code: 'partiallyApproved', message: '1 of 2 approvals; needs one more' });
    let hub = await onHub(SEQ);
    expect(hub.approved).toEqual([]);
    expect(hub.recorded).toHaveLength(1);
    expect(hub.recorded[0]).toMatchObject({
      user: PERSONAS.clientAAdmin.user,
      comment: 'staging is green',
      notReadyReason: REASON,
      readiness: { verdict: expect.stringMatching(/^(NotReady|Unknown)$/) as string },
    });

    // Through the other replica too: its informer or its read sees the annotation.
    const again = await result(await on2.a.post(approvePath(SEQ), { notReadyReason: REASON }));
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyCounted', message: 'you already approved; needs one more' });
    hub = await onHub(SEQ);
    expect(hub.recorded).toHaveLength(1);
    expect(hub.approved).toEqual([]);

    // The detail shows the progress to everyone who sees the run, and the history shows the reason and snapshot.
    const d = await eventually('the progress in the detail', async () => {
      const x = await detail(on1.a2, SEQ);
      return x.approvalProgress?.staging?.approvals.length === 1 ? x : undefined;
    });
    expect(d.approvalProgress?.staging).toMatchObject({ required: 2, satisfied: false, summary: '1 of 2 approvals; needs one more' });
    expect(d.approveWaves.staging).toEqual({ allowed: true });
    expect((await detail(on1.a, SEQ)).approveWaves.staging).toEqual({ allowed: false, reason: 'you already approved; needs one more' });
    const entry = d.history.find((h) => h.action === 'approve' && h.actor === PERSONAS.clientAAdmin.user);
    expect(entry).toMatchObject({ wave: 'staging', notReadyReason: REASON, from: 'upstream' });
    expect(entry?.readiness?.verdict).toMatch(/^(NotReady|Unknown)$/);
  });

  it('a second, different approver releases the gate: Approved=True at the request’s generation, two entries', async () => {
    const done = await result(await on1.a2.post(approvePath(SEQ), { notReadyReason: REASON }));
    expect(done).toMatchObject({ outcome: 'done', code: 'approved' });
    const hub = await onHub(SEQ);
    expect(hub.recorded.map((r) => r.user)).toEqual([PERSONAS.clientAAdmin.user, second.user]);
    expect(hub.approved).toHaveLength(1);
    expect(hub.approved[0]).toMatchObject({
      message: `Approved by ${second.user} via Fleetdeck`,
      observedGeneration: hub.approval.metadata.generation,
    });
    await eventually('the run past staging', async () =>
      (await detail(on1.a, SEQ)).awaitingApproval?.wave !== 'staging' ? true : undefined,
    );
  });

  it('two approvers at once through two replicas: both answered 200, counted one after the other, one Approved write', async () => {
    await Promise.all([waiting(on1.a, RACE), waiting(on2.a2, RACE)]);
    const [x, y] = await Promise.all([
      on1.a.post(approvePath(RACE), { notReadyReason: REASON }),
      on2.a2.post(approvePath(RACE), { notReadyReason: REASON }),
    ]);
    const answers = [await result(x), await result(y)];
    expect(answers.map((a) => a.code).sort()).toEqual(['approved', 'partiallyApproved']);
    const hub = await onHub(RACE);
    expect(new Set(hub.recorded.map((r) => r.user))).toEqual(new Set([PERSONAS.clientAAdmin.user, second.user]));
    expect(hub.recorded).toHaveLength(2);
    expect(hub.approved).toHaveLength(1);
    // The one who got "approved" is the one the condition names: the other never wrote it.
    const releasedBy = answers[0]!.code === 'approved' ? PERSONAS.clientAAdmin.user : second.user;
    expect(hub.approved[0]!.message).toBe(`Approved by ${releasedBy} via Fleetdeck`);
  });

  it('an unreadable annotation is ignored with a partial error; enough recorded approvals without the condition: a repeat finishes the job', async () => {
    await waiting(on1.a, REPAIR);
    const annotate = (value: string) =>
      admin.expectOk('PATCH', requestPath(REPAIR), {
        body: { metadata: { annotations: { [APPROVALS_ANNOTATION]: value } } },
        contentType: 'application/merge-patch+json',
      });
    await annotate('{not json');
    const broken = await eventually('the partial error', async () => {
      const d = await detail(on1.a, REPAIR);
      return d.errors.some((e) => e.reason.includes('is not JSON')) ? d : undefined;
    });
    expect(broken.approvalProgress?.staging).toMatchObject({ approvals: [], summary: '0 of 2 approvals; needs two more' });
    // As left by an approval whose annotation write landed and whose condition write failed.
    const at = new Date().toISOString();
    await annotate(
      JSON.stringify([
        { user: PERSONAS.clientAAdmin.user, at, groups: [] },
        { user: second.user, at, groups: [] },
      ]),
    );
    const finished = await result(await on2.a.post(approvePath(REPAIR), { notReadyReason: REASON }));
    expect(finished).toMatchObject({ outcome: 'done', code: 'approved' });
    const hub = await onHub(REPAIR);
    expect(hub.recorded).toHaveLength(2);
    expect(hub.approved).toHaveLength(1);
    expect(hub.approved[0]!.observedGeneration).toBe(hub.approval.metadata.generation);
  });
});
