import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Rollout, RolloutActionResult, RolloutList, parseLiveEvent, type AuditList } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET } from '../helpers/forge-session.ts';
import { Person } from '../helpers/rollout-client.ts';
import { NOT_FOR_CLIENT_A, PERSONAS } from '../helpers/rollout-fixtures.ts';

/**
 * The rollouts API on the demo BFF (the demo's in-memory runs: client-a's own web-v3
 * waits for approval of a wave wholly inside client-a; the brief's cve-2024-critical waits
 * at a production gate spanning tenants).
 */
const WEB_A = 'demo~fleet-client-a~web-v3';
const CVE = 'demo~~cve-2024-critical';
const APPS_B = 'demo~fleet-client-b~apps-v42';

let bff: RunningServer;
const people = {} as Record<keyof typeof PERSONAS, Person>;
beforeAll(async () => {
  bff = await startDemoBff({ session: { secret: TEST_SESSION_SECRET } });
  for (const [k, p] of Object.entries(PERSONAS)) people[k as keyof typeof PERSONAS] = await Person.signIn(bff.url, p);
});
afterAll(async () => {
  await bff?.close();
});

const list = async (p: Person, query = '') => RolloutList.parse(await p.json(`/api/rollouts${query}`));
const detail = async (p: Person, id: string) => Rollout.parse(await p.json(`/api/rollouts/${id}`));
const approvePath = (id: string, wave: string) => `/api/rollouts/${id}/waves/${wave}/approve`;
// Until readiness is measured for demo runs an approval says why it goes ahead (a reason is accepted either way).
const REASON = 'demo: approving anyway';

/** The demo moves in time: wait until the gate is waiting (it is, shortly after start). */
async function waitingAt(id: string, wave: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await detail(people.platformAdmin, id);
    if (r.awaitingApproval?.wave === wave) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${id} never waited at ${wave}`);
}

describe('GET /api/rollouts and /api/rollouts/:id', () => {
  it('lists every run to a Platform Admin, and to client-a’s admin only theirs in full and the shared ones redacted', async () => {
    const all = await list(people.platformAdmin);
    expect(all.items.map((r) => r.id)).toEqual(expect.arrayContaining([WEB_A, CVE, APPS_B]));
    expect(all.items.every((r) => !r.redacted)).toBe(true);
    const a = await list(people.clientAAdmin);
    const byId = new Map(a.items.map((r) => [r.id, r]));
    expect(byId.get(WEB_A)).toMatchObject({ redacted: false, tenant: 'client-a' });
    expect(byId.get(CVE)).toMatchObject({ redacted: true });
    expect(byId.get(CVE)!.hiddenClusters).toBeGreaterThan(0);
    expect(byId.has(APPS_B)).toBe(false);
    const text = JSON.stringify(a) + JSON.stringify(await detail(people.clientAAdmin, CVE));
    for (const word of NOT_FOR_CLIENT_A) expect(text, word).not.toContain(word);
  });

  it('shows Developers and Viewers their tenant’s runs and shared runs, redacted where not theirs whole', async () => {
    const dev = await list(people.clientADev);
    expect(dev.items.find((r) => r.id === WEB_A)).toMatchObject({ redacted: true });
    expect(dev.items.some((r) => r.id === APPS_B)).toBe(false);
    const viewer = await list(people.clientBViewer);
    expect(viewer.items.find((r) => r.id === APPS_B)).toMatchObject({ redacted: false });
    expect(viewer.items.some((r) => r.id === WEB_A)).toBe(false);
    const fleet = await list(people.fleetViewer);
    expect(fleet.items.every((r) => !r.redacted && !r.awaitingApproval?.canApprove)).toBe(true);
  });

  it('filters, orders awaiting-your-approval first, and pages with a cursor', async () => {
    await waitingAt(WEB_A, 'production');
    const a = await list(people.clientAAdmin);
    expect(a.items[0]!.awaitingApproval?.canApprove).toBe(true);
    expect((await list(people.clientAAdmin, '?awaiting=true')).items.map((r) => r.id)).toEqual([WEB_A]);
    expect((await list(people.platformAdmin, '?tenant=client-b')).items.every((r) => r.tenant === 'client-b')).toBe(true);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(people.platformAdmin, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    // The demo moves while we page (a run restarts with a new createdAt): compare the sets.
    expect(new Set(pages).size).toBe(pages.length);
    expect(new Set(pages)).toEqual(new Set((await list(people.platformAdmin)).items.map((r) => r.id)));
    expect((await people.platformAdmin.get('/api/rollouts?cursor=bm90IGEgY3Vyc29y')).status).toBe(400);
  });

  it('answers a run the person may not see exactly like one that does not exist', async () => {
    const strip = (body: string, id: string) => body.replaceAll(id, '<id>').replace(/"requestId":"[^"]*"/, '');
    const hidden = await people.clientAAdmin.get(`/api/rollouts/${APPS_B}`);
    const missing = await people.clientAAdmin.get('/api/rollouts/demo~fleet-client-b~no-such-run');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(strip(await hidden.text(), APPS_B)).toBe(strip(await missing.text(), 'demo~fleet-client-b~no-such-run'));
    const post = (id: string) => people.clientBAdmin.post(approvePath(id, 'production'), {});
    const [h, m] = [await post(WEB_A), await post('demo~fleet-client-a~nope')];
    expect([h.status, m.status]).toEqual([404, 404]);
    expect(strip(await h.text(), WEB_A)).toBe(strip(await m.text(), 'demo~fleet-client-a~nope'));
  });
  it('links the fleet table’s cell to runs the person sees whole, and says "restricted" for the rest', async () => {
    const cells = (await people.clientAAdmin.json<{ clusters: Record<string, { run: string; id?: string }[]> }>('/api/fleet/rollouts'))
      .clusters;
    const prod = cells['prod-us-east']!;
    expect(prod.find((c) => c.run === 'web-v3')?.id).toBe(WEB_A);
    expect(prod.filter((c) => c.run === 'restricted').every((c) => c.id === undefined)).toBe(true);
  });
});

describe('rollout actions', () => {
  it('refuses Developers and Viewers, a cross-tenant gate to a Tenant Admin, a missing CSRF token, a wave not waiting', async () => {
    await waitingAt(CVE, 'production');
    for (const p of [people.clientADev, people.clientBViewer, people.fleetViewer]) {
      expect((await p.post(approvePath(WEB_A, 'production'), {})).status).toBe(403);
    }
    const cross = await people.clientAAdmin.post(approvePath(CVE, 'production'), {});
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { detail: string }).detail).toBe('this wave includes clusters outside your scope');
    expect((await people.platformAdmin.post(approvePath(CVE, 'production'), {}, { csrf: false })).status).toBe(403);
    expect((await people.platformAdmin.post(approvePath(CVE, 'canary'), {})).status).toBe(409);
    expect((await detail(people.platformAdmin, CVE)).awaitingApproval?.wave).toBe('production');
  });

  it('asks for the rollout’s name to abort or roll back (422 otherwise)', async () => {
    const res = await people.clientAAdmin.post(`/api/rollouts/${WEB_A}/abort`, { confirm: 'web' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/type the rollout's name exactly \("web-v3"\)/);
    expect((await people.clientAAdmin.post(`/api/rollouts/${WEB_A}/rollback`, {})).status).toBe(400);
    expect((await people.clientAAdmin.post(`/api/rollouts/${WEB_A}/reject`, {})).status).toBe(400);
  });

  it('under the demo’s approver policy (production: two people, one a Platform Admin) the same admin racing counts once; a second admin releases it', async () => {
    const [one, two] = await Promise.all([
      people.platformAdmin.post(approvePath(CVE, 'production'), { comment: 'go', notReadyReason: REASON }),
      people.platformAdmin.post(approvePath(CVE, 'production'), { notReadyReason: REASON }),
    ]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const results = [RolloutActionResult.parse(await one.json()), RolloutActionResult.parse(await two.json())];
    expect(results.map((r) => r.code).sort()).toEqual(['alreadyCounted', 'partiallyApproved']);
    const again = RolloutActionResult.parse(
      await (await people.platformAdmin.post(approvePath(CVE, 'production'), { notReadyReason: REASON })).json(),
    );
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyCounted', message: 'you already approved; needs one more' });
    const r = await detail(people.platformAdmin, CVE);
    expect(r.awaitingApproval?.wave).toBe('production');
    expect(r.approvalProgress?.production).toMatchObject({ required: 2, satisfied: false, summary: '1 of 2 approvals; needs one more' });
    expect(r.approveWaves.production).toEqual({ allowed: false, reason: 'you already approved; needs one more' });
    const second = await Person.signIn(bff.url, { user: 'platform-admin-2@demo', groups: ['fleet-platform-admins'] });
    const released = await second.post(approvePath(CVE, 'production'), { notReadyReason: REASON });
    expect(RolloutActionResult.parse(await released.json())).toMatchObject({ outcome: 'done', code: 'approved' });
    const after = await detail(people.platformAdmin, CVE);
    expect(after.awaitingApproval?.wave).not.toBe('production');
    expect(after.approvalProgress?.production).toMatchObject({ satisfied: true, summary: '2 of 2 approvals' });
    const last = RolloutActionResult.parse(await (await second.post(approvePath(CVE, 'production'), {})).json());
    expect(last).toMatchObject({ outcome: 'no-op', code: 'alreadyApproved' });
  });

  it('lets client-a’s Tenant Admin approve their own gate with a comment: live upsert, history and audit show it', async () => {
    await waitingAt(WEB_A, 'production');
    const stream = await people.clientAAdmin.events();
    await stream.next('ready');
    const res = await people.clientAAdmin.post(approvePath(WEB_A, 'production'), { comment: 'ship it', notReadyReason: REASON });
    expect(res.status).toBe(200);
    // The demo's policy: one more, from a Platform Admin; client-a's admin cannot give it twice.
    expect(RolloutActionResult.parse(await res.json())).toMatchObject({
      outcome: 'done',
      code: 'partiallyApproved',
      message: '1 of 2 approvals; needs one more from fleet-platform-admins',
    });
    expect((await detail(people.clientAAdmin, WEB_A)).approveWaves.production).toEqual({
      allowed: false,
      reason: 'you already approved; needs one more from fleet-platform-admins',
    });
    // Another client-a admin is a second person, but the remaining approval is reserved for a Platform Admin.
    const otherA = await Person.signIn(bff.url, { user: 'client-a-admin-2@demo', groups: ['tenant-client-a-admins'] });
    const refused = await otherA.post(approvePath(WEB_A, 'production'), { notReadyReason: REASON });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toBe('this wave needs an approver from fleet-platform-admins');
    const platform = await people.platformAdmin.post(approvePath(WEB_A, 'production'), { notReadyReason: REASON });
    expect(RolloutActionResult.parse(await platform.json())).toMatchObject({ outcome: 'done', code: 'approved' });
    for (;;) {
      const event = parseLiveEvent('rollout', (await stream.next('rollout')).data!);
      if (event?.type === 'upsert' && event.rollout.id === WEB_A && event.rollout.awaitingApproval?.wave !== 'production') break;
    }
    stream.close();
    const r = await detail(people.clientAAdmin, WEB_A);
    // Shown once: the (simulated) upstream object records the approval, so this replica's audit line is not repeated.
    const approvals = r.history.filter((h) => h.action === 'approve' && h.wave === 'production');
    expect(approvals).toEqual([
      expect.objectContaining({ actor: PERSONAS.clientAAdmin.user, comment: 'ship it', notReadyReason: REASON, from: 'upstream' }),
      expect.objectContaining({ actor: PERSONAS.platformAdmin.user, notReadyReason: REASON, from: 'upstream' }),
    ]);
    const audit = (await people.clientAAdmin.json<AuditList>('/api/audit?limit=50')).items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'approve', target: WEB_A, tenant: 'client-a', result: 'success' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'approve', target: CVE, result: 'denied' }));
  });

  it('lets a Tenant Admin pause and resume their namespaced run, never a fleet-wide one', async () => {
    expect((await people.clientAAdmin.post(`/api/rollouts/${CVE}/pause`, {})).status).toBe(403);
    const paused = await people.clientAAdmin.post(`/api/rollouts/${WEB_A}/pause`, { reason: 'freeze' });
    expect(paused.status).toBe(200);
    expect((await detail(people.clientAAdmin, WEB_A)).state).toBe('Stopped');
    expect((await people.clientAAdmin.post(`/api/rollouts/${WEB_A}/resume`, {})).status).toBe(200);
    expect((await detail(people.clientAAdmin, WEB_A)).state).not.toBe('Stopped');
  });
});
