import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import { Rollout, RolloutActionResult, RolloutList } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { RolloutActionError } from '../../src/sources/rollouts/rollout-source.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { Person } from '../helpers/rollout-client.ts';
import { PERSONAS } from '../helpers/rollout-fixtures.ts';
import { createClientARun, createClientAStrategy } from '../helpers/kubefleet-hub.ts';
import { singleApproval } from '../helpers/approval-decision.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * The rollouts API in real mode on the testbed hub, with the KubeFleet stand-in moving the
 * runs: a client-a Tenant Admin approves client-a's own namespaced run through the route
 * and the run proceeds; people who may not are refused and the request stays unapproved
 * (read on the hub as the testbed admin); and with our check bypassed, the API server's
 * RBAC refuses the impersonated write.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const NS = 'fleet-client-a';
const RUN = `h4-core-${Date.now().toString(36)}`;
const STRATEGY = `${RUN}-waves`;
const ID = `kubefleet-namespaced~${NS}~${RUN}`;
const APPROVAL = `${P}/namespaces/${NS}/approvalrequests/${RUN}-after-staging`;

interface Approval {
  metadata: { generation: number; resourceVersion: string };
  status?: { conditions?: { type: string; status: string; message?: string; observedGeneration?: number }[] };
}

let bff: RunningServer;
const people = {} as Record<keyof typeof PERSONAS, Person>;

beforeAll(async () => {
  await createClientAStrategy(admin, STRATEGY);
  await createClientARun(admin, { name: RUN, strategy: STRATEGY, snapshot: '2' });
  bff = await startTestbedBff(env);
  // startTestbedBff's OIDC redirect URL names the public origin the CSRF check expects.
  const origin = new URL(bff.services.config.auth.oidc!.redirectUrl).origin;
  for (const [k, p] of Object.entries(PERSONAS)) people[k as keyof typeof PERSONAS] = await Person.signIn(bff.url, p, { origin });
});
afterAll(async () => {
  await bff?.close();
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdateruns/${RUN}`);
  await admin.request('DELETE', `${P}/namespaces/${NS}/stagedupdatestrategies/${STRATEGY}`);
});

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 250 });
const detail = async (p: Person) => Rollout.parse(await p.json(`/api/rollouts/${ID}`));
// Readiness cannot be measured for the stand-in's runs here (no pod samples for them): approving says why it goes ahead anyway.
const NOT_READY_REASON = 'testbed: readiness is not measured for this run';
const approve = (p: Person, comment?: string) =>
  p.post(`/api/rollouts/${ID}/waves/staging/approve`, { ...(comment && { comment }), notReadyReason: NOT_READY_REASON });
const approvedOnHub = async () => {
  const a = await admin.expectOk<Approval>('GET', APPROVAL);
  return a.status?.conditions?.some((c) => c.type === 'Approved' && c.status === 'True') ?? false;
};

describe('rollouts on the testbed (real mode, KubeFleet stand-in)', () => {
  it('lists the namespaced run to client-a’s people only, waiting at its approval', async () => {
    const r = await eventually('the run waiting at staging', async () => {
      const d = await detail(people.clientAAdmin);
      return d.awaitingApproval?.wave === 'staging' ? d : undefined;
    });
    expect(r).toMatchObject({ source: 'kubefleet-namespaced', tenant: 'client-a', redacted: false });
    expect(r.approveWaves.staging).toEqual({ allowed: true });
    expect(r.actions.pause).toEqual({ allowed: true });
    const b = RolloutList.parse(await people.clientBViewer.json('/api/rollouts'));
    expect(b.items.some((x) => x.id === ID)).toBe(false);
    expect((await people.clientBAdmin.get(`/api/rollouts/${ID}`)).status).toBe(404);
  });

  it('refuses client-b’s Tenant Admin, a Developer and a Viewer; the request stays unapproved on the hub', async () => {
    expect((await approve(people.clientBAdmin, 'not mine')).status).toBe(404);
    expect((await approve(people.clientADev)).status).toBe(403);
    expect((await approve(people.clientBViewer)).status).toBe(403);
    expect((await approve(people.fleetViewer)).status).toBe(403);
    expect(await approvedOnHub()).toBe(false);
  });

  it('RBAC is the second wall: the source’s approve as client-b’s Tenant Admin, our check bypassed, is refused by Kubernetes', async () => {
    const r = bff.services.rollouts.get(ID)!;
    const source = bff.services.rollouts.sourceFor(ID)!;
    const err = await source.actions
      .approve({ principal: PERSONAS.clientBAdmin, requestId: 'bypass' }, r, 'staging', singleApproval('bypass'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutActionError);
    expect((err as RolloutActionError).status).toBe(403);
    expect(await approvedOnHub()).toBe(false);
  });

  it('lets client-a’s Tenant Admin approve through the route: written as them, the stand-in proceeds, history and Event show it', async () => {
    const res = await approve(people.clientAAdmin, 'staging is green');
    expect(res.status).toBe(200);
    expect(RolloutActionResult.parse(await res.json())).toMatchObject({ outcome: 'done' });
    const onHub = await admin.expectOk<Approval>('GET', APPROVAL);
    expect(onHub.status?.conditions?.find((c) => c.type === 'Approved')).toMatchObject({
      status: 'True',
      observedGeneration: onHub.metadata.generation,
    });
    expect(onHub.status?.conditions?.find((c) => c.type === 'Approved')?.message).toContain('client-a-admin@demo');
    const moved = await eventually('the run past staging', async () => {
      const d = await detail(people.clientAAdmin);
      return d.waves[0]!.state === 'Succeeded' && d.waves[1]!.state !== 'NotStarted' ? d : undefined;
    });
    expect(moved.history).toContainEqual(
      expect.objectContaining({ actor: 'client-a-admin@demo', action: 'approve', wave: 'staging', comment: 'staging is green' }),
    );
    const again = RolloutActionResult.parse(await (await approve(people.clientAAdmin)).json());
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyApproved' });
    const events = await eventually(
      'the audit Event on the run',
      async () => {
        const list = await admin.expectOk<{ items: { note?: string; reason?: string; regarding?: { name?: string } }[] }>(
          'GET',
          `/apis/events.k8s.io/v1/namespaces/${NS}/events`,
        );
        const mine = list.items.filter((e) => e.regarding?.name === RUN && e.note?.includes('client-a-admin@demo approve success'));
        return mine.length > 0 ? mine : undefined;
      },
      15_000,
    );
    expect(events[0]!.reason).toBe('Approve');
  });
});

describe('Fleet bundles through the routes (real mode, Fleet stand-in)', () => {
  const BUNDLE = 'rancher-fleet~fleet-default~security-patch-cve-2026-1234';
  const BUNDLE_PATH = '/apis/fleet.cattle.io/v1alpha1/namespaces/fleet-default/bundles/security-patch-cve-2026-1234';
  let fleetBff: RunningServer;
  let clientA: Person;
  let clientB: Person;
  beforeAll(async () => {
    fleetBff = await startTestbedBff(env, { inventory: { sources: ['kubefleet', 'rancher-fleet'], hubKubeconfig: env.hub.bffKubeconfig } });
    const origin = new URL(fleetBff.services.config.auth.oidc!.redirectUrl).origin;
    clientA = await Person.signIn(fleetBff.url, PERSONAS.clientAAdmin, { origin });
    clientB = await Person.signIn(fleetBff.url, PERSONAS.clientBAdmin, { origin });
  });
  afterAll(async () => {
    await fleetBff?.close();
  });

  it('shows client-a’s bundle to client-a’s admin, who may not change it (Platform Admins only); client-b’s admin does not see it', async () => {
    const r = await eventually('the bundle', async () => {
      const res = await clientA.get(`/api/rollouts/${BUNDLE}`);
      return res.status === 200 ? Rollout.parse(await res.json()) : undefined;
    });
    expect(r).toMatchObject({ source: 'rancher-fleet', tenant: 'client-a', redacted: false });
    expect(r.actions.pause).toEqual({ allowed: false, reason: 'only Platform Admins may change a Fleet bundle' });
    expect(r.actions.abort.allowed).toBe(false);
    // The stand-in writes the status all the time; only a spec change moves the generation.
    const before = await admin.expectOk<{ metadata: { generation: number } }>('GET', BUNDLE_PATH);
    const refused = await clientA.post(`/api/rollouts/${BUNDLE}/pause`, { reason: 'mine?' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toBe('only Platform Admins may change a Fleet bundle');
    expect((await clientB.get(`/api/rollouts/${BUNDLE}`)).status).toBe(404);
    expect((await clientB.post(`/api/rollouts/${BUNDLE}/pause`, {})).status).toBe(404);
    const after = await admin.expectOk<{ metadata: { generation: number } }>('GET', BUNDLE_PATH);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });
});
