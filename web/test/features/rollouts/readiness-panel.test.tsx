// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Rollout } from '@fleetdeck/shared';

import { detail, summary } from '../../rollouts-fixtures.ts';
import { FakeEventSource, fakeBff, ME, problem, renderApp, type Answer } from '../../rollouts-harness.tsx';
import { notReady, ready } from './readiness-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const r = detail();
const PATH = `/api/rollouts/${r.id}`;
const READINESS = `${PATH}/waves/production/readiness`;

async function open(rollout: Rollout, extra: Record<string, Answer> = {}, url = `/rollouts/${rollout.id}`) {
  const bff = fakeBff({ '/api/me': { body: ME }, [PATH]: { body: rollout }, ...extra });
  const app = await renderApp(url);
  await screen.findByRole('heading', { level: 1, name: rollout.name });
  return { ...bff, ...app };
}
const panel = () => screen.getByTestId('readiness-panel');
const readinessCalls = (calls: { url: URL }[], wave = 'production') =>
  calls.filter((c) => c.url.pathname === `${PATH}/waves/${wave}/readiness`).length;

describe('Readiness panel', () => {
  it('says Not ready, because…, each reason linking to its evidence, with every check by text', async () => {
    await open(r, { [READINESS]: { body: notReady() } });
    const verdict = await within(panel()).findByTestId('readiness-verdict');
    expect(verdict.textContent).toBe('Not ready, because');
    const reasons = within(screen.getByRole('list', { name: 'Reasons' })).getAllByRole('listitem');
    expect(reasons.map((li) => li.textContent)).toEqual([
      '1 of 2 clusters below 95% pods healthy — Health of prod-us-west',
      '1 violation introduced by this wave — Violations on the wave',
    ]);
    expect(within(reasons[0]!).getByRole('link').getAttribute('href')).toBe('/fleet/clusters/prod-us-west?tab=health');
    expect(within(reasons[1]!).getByRole('link').getAttribute('href')).toBe('/violations?cluster=prod-us-east');

    const rows = within(panel()).getAllByTestId('readiness-check');
    const byId = (id: string) => rows.find((row) => row.getAttribute('data-check') === id)!;
    expect(within(byId('pod-health')).getByRole('rowheader').textContent).toBe('Pod healthBlocking');
    expect(byId('pod-health').textContent).toContain('Fail');
    expect(byId('pod-health').textContent).toContain('prod-us-west (fail: 81.2%)');
    expect(byId('pod-health').textContent).toContain('Also failing: 1 cluster outside your scope');
    // A failing advisory check warns; it does not read as a block.
    expect(byId('restarts').textContent).toContain('Advisory');
    expect(byId('restarts').textContent).toContain('Warning');
    expect(byId('rollout-result').textContent).toContain('Pass');

    expect(panel().textContent).toContain('Failure threshold: Halts at 1 cluster failed; 0 clusters failed in this wave: not reached.');
    expect(panel().textContent).toContain('Success threshold: 95% of pods healthy');
    const introduced = within(panel()).getByTestId('introduced-violations');
    expect(introduced.textContent).toContain('require-probes (high) on prod-us-east/web: container web has no readiness probe');
    expect(panel().textContent).toContain('3 violations introduced by this wave');
    expect(panel().textContent).toContain('and 2 more');
    // Relative time, with the exact time on hover.
    const time = screen.getByTestId('readiness-evaluated').querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-11-24T09:58:00Z');
    expect(time.getAttribute('title')).toBeTruthy();
  });

  it('says Ready plainly, and approving it needs no reason', async () => {
    const { calls } = await open(r, {
      [READINESS]: { body: ready() },
      [`${PATH}/waves/production/approve`]: { body: { outcome: 'done', code: 'approved', message: 'Approved.' } },
    });
    expect((await within(panel()).findByTestId('readiness-verdict')).textContent).toBe('Ready');
    expect(screen.queryByRole('textbox', { name: /Reason to approve although not ready/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Approve wave production' }));
    await screen.findByTestId('action-result');
    const post = calls.find((c) => c.init?.method === 'POST')!;
    expect(JSON.parse(post.init!.body as string)).toEqual({
      readiness: { verdict: 'Ready', reasons: [], evaluatedAt: '2026-11-24T09:58:00Z', digest: 'sha256:ready' },
    });
  });

  it('shows loading while the readiness is evaluated', async () => {
    const { fetchMock } = fakeBff({ '/api/me': { body: ME }, [PATH]: { body: r } });
    const answer = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation((input, init) =>
      (input instanceof Request ? input.url : input.toString()).endsWith('/readiness')
        ? new Promise<Response>(() => undefined)
        : answer(input, init),
    );
    await renderApp(`/rollouts/${r.id}`);
    await screen.findByRole('heading', { level: 1, name: r.name });
    expect((await within(panel()).findByRole('status')).textContent).toBe('Evaluating readiness…');
  });

  it('says why readiness could not be evaluated, in the problem’s words, and retries', async () => {
    let fail = true;
    const { calls } = await open(r, {
      [READINESS]: () => (fail ? { status: 502, body: problem(502, 'Prometheus did not answer') } : { body: notReady() }),
    });
    const alert = await within(panel()).findByRole('alert', {}, { timeout: 4000 });
    expect(alert.textContent).toContain('Readiness could not be evaluated');
    expect(alert.textContent).toContain('Prometheus did not answer');
    const before = readinessCalls(calls);
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await within(panel()).findByTestId('readiness-verdict');
    expect(readinessCalls(calls)).toBe(before + 1);
  });

  it('shows a wave with no readiness (404) as a note, not as an error', async () => {
    await open(r, { [READINESS]: { status: 404, body: problem(404, 'this rollout has no such wave') } });
    await waitFor(() =>
      expect(panel().textContent).toContain('Readiness is not available for wave production: this rollout has no such wave'),
    );
    expect(within(panel()).queryByRole('alert')).toBeNull();
  });

  it('shows any started wave’s readiness on demand, the choice kept in the URL', async () => {
    const canary = `${PATH}/waves/canary/readiness`;
    const { calls, router } = await open(r, {
      [READINESS]: { body: notReady() },
      [canary]: { body: ready({ wave: 'canary' }) },
    });
    await within(panel()).findByTestId('readiness-verdict');
    fireEvent.change(within(panel()).getByRole('combobox', { name: 'Wave' }), { target: { value: 'canary' } });
    await waitFor(() => expect(router.state.location.search).toEqual({ readiness: 'canary' }));
    await waitFor(() => expect(within(panel()).getByTestId('readiness-verdict').textContent).toBe('Ready'));
    expect(within(panel()).getByRole('heading', { level: 2 }).textContent).toBe('Promotion readiness of wave canary');
    expect(readinessCalls(calls, 'canary')).toBe(1);
  });

  it('opens at the wave a link names', async () => {
    await open(
      r,
      { [`${PATH}/waves/canary/readiness`]: { body: ready({ wave: 'canary' }) }, [READINESS]: { body: notReady() } },
      `/rollouts/${r.id}?readiness=canary`,
    );
    expect(within(panel()).getByRole('heading', { level: 2 }).textContent).toBe('Promotion readiness of wave canary');
    await within(panel()).findByTestId('readiness-verdict');
  });

  it('is evaluated again when a live event says the rollout changed', async () => {
    const { calls } = await open(r, { [READINESS]: { body: notReady() } });
    await within(panel()).findByTestId('readiness-verdict');
    const before = readinessCalls(calls);
    act(() =>
      FakeEventSource.last!.emit('rollout', { type: 'upsert', rollout: summary({ ...r, name: r.name, state: 'AwaitingApproval' }) }),
    );
    await waitFor(() => expect(readinessCalls(calls)).toBeGreaterThan(before));
  });

  it('is not shown for a rollout none of whose waves started', async () => {
    await open(
      detail({
        awaitingApproval: undefined,
        waves: r.waves.map((w) => ({ ...w, state: 'NotStarted' as const, gates: [], startedAt: undefined })),
      }),
    );
    expect(screen.queryByTestId('readiness-panel')).toBeNull();
  });
});
