import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Rollout, WaveReadiness } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET } from '../helpers/forge-session.ts';
import { Person } from '../helpers/rollout-client.ts';
import { NOT_FOR_CLIENT_A, PERSONAS } from '../helpers/rollout-fixtures.ts';

/**
 * Readiness on the demo fleet (what the demo and the web's end-to-end tests rely on):
 * cve-2024-critical waits for approval of `production` after `non-prod`, whose first staging
 * cluster (client-a-staging, the one the health pages show limping) is under 95% pods
 * healthy: Not ready. client-a's web-v3 waits at `production` after a healthy canary: Ready.
 */
const WEB_A = 'demo~fleet-client-a~web-v3';
const CVE = 'demo~~cve-2024-critical';

let bff: RunningServer;
const people = {} as Record<keyof typeof PERSONAS, Person>;
beforeAll(async () => {
  bff = await startDemoBff({ session: { secret: TEST_SESSION_SECRET } });
  for (const [k, p] of Object.entries(PERSONAS)) people[k as keyof typeof PERSONAS] = await Person.signIn(bff.url, p);
});
afterAll(async () => {
  await bff?.close();
});

async function waitingAt(id: string, wave: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = Rollout.parse(await people.platformAdmin.json(`/api/rollouts/${id}`));
    if (r.awaitingApproval?.wave === wave) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${id} never waited at ${wave}`);
}
const readiness = async (p: Person, id: string, wave: string) =>
  WaveReadiness.parse(await p.json(`/api/rollouts/${id}/waves/${wave}/readiness`));

describe('readiness on the demo fleet', () => {
  it('cve-2024-critical production is Not ready: client-a-staging in non-prod is under 95% pods healthy', async () => {
    await waitingAt(CVE, 'production');
    const r = await readiness(people.platformAdmin, CVE, 'production');
    expect(r.verdict).toBe('NotReady');
    const pod = r.checks.find((c) => c.id === 'pod-health')!;
    expect(pod.status).toBe('fail');
    expect(pod.clusters[0]).toMatchObject({ cluster: 'client-a-staging', status: 'fail' });
    expect(r.reasons.some((x) => x.startsWith('Pod health (wave non-prod)') && x.includes('client-a-staging'))).toBe(true);
  });

  it('gives client-a’s admin the same verdict without naming other tenants’ clusters', async () => {
    await waitingAt(CVE, 'production');
    const all = await readiness(people.platformAdmin, CVE, 'production');
    const a = await readiness(people.clientAAdmin, CVE, 'production');
    expect(a.verdict).toBe(all.verdict);
    expect(a.hiddenClusters).toBeGreaterThan(0);
    expect(a.checks.find((c) => c.id === 'pod-health')!.clusters.map((c) => c.cluster)).toEqual(['client-a-staging']);
    const text = JSON.stringify(a);
    for (const word of NOT_FOR_CLIENT_A) expect(text, word).not.toContain(word);
  });

  it('answers 404 alike for a wave the rollout lacks and a rollout the person may not see', async () => {
    const noWave = await people.platformAdmin.get(`/api/rollouts/${CVE}/waves/nope/readiness`);
    expect(noWave.status).toBe(404);
    const hidden = await people.clientAAdmin.get(`/api/rollouts/demo~fleet-client-b~apps-v42/waves/dev/readiness`);
    const missing = await people.clientAAdmin.get(`/api/rollouts/demo~fleet-client-b~apps-v43/waves/dev/readiness`);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const detail = async (r: Response) => ((await r.json()) as { detail?: string }).detail;
    expect(await detail(hidden)).toBe(await detail(missing));
  });

  it('web-v3 production is Ready (its canary is healthy)', async () => {
    await waitingAt(WEB_A, 'production');
    const r = await readiness(people.platformAdmin, WEB_A, 'production');
    expect(r.verdict).toBe('Ready');
  });
});
