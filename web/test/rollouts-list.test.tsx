// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { list, summary } from './rollouts-fixtures.ts';
import { FakeEventSource, fakeBff, ME, problem, renderApp, streamReady } from './rollouts-harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const canary = summary({ name: 'core-stack-v42', state: 'Progressing', currentWave: 'canary', tenant: 'client-a' });
const waiting = summary({
  name: 'cve-2024-critical',
  state: 'AwaitingApproval',
  currentWave: 'production',
  awaitingApproval: { wave: 'production', position: 'before', canApprove: true },
  progress: { total: 20, succeeded: 5, failed: 1, updating: 0 },
  redacted: true,
  hiddenClusters: 3,
});
const failed = summary({ name: 'client-c-api-v7', state: 'Failed', namespace: 'client-c', tenant: 'client-c' });

const rows = () => screen.getAllByTestId('rollout-row');
const row = (name: string) => rows().find((r) => r.getAttribute('data-rollout') === `demo~~${name}`)!;

describe('Rollouts list', () => {
  it('shows each rollout with its state as text, badges, progress and wave', async () => {
    fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { body: list([canary, waiting, failed]) } });
    await renderApp('/rollouts');
    await waitFor(() => expect(rows()).toHaveLength(3));
    const w = row('cve-2024-critical');
    expect(w.textContent).toContain('Awaiting approval');
    expect(w.textContent).toContain('Awaiting your approval');
    expect(w.textContent).toContain('3 clusters outside your scope');
    expect(w.textContent).toContain('production');
    const bar = within(w).getByRole('progressbar', { name: 'Progress of cve-2024-critical' });
    expect(bar.getAttribute('aria-valuenow')).toBe('5');
    expect(bar.getAttribute('aria-valuemax')).toBe('20');
    expect(w.textContent).toContain('5 / 20 clusters done, 1 failed');
    const c = row('core-stack-v42');
    expect(c.textContent).toContain('Progressing');
    expect(c.textContent).not.toContain('Awaiting your approval');
    expect(c.textContent).not.toContain('outside your scope');
    expect(row('client-c-api-v7').textContent).toContain('namespace client-c');
    expect(row('client-c-api-v7').textContent).toContain('Failed');
  });

  it('keeps its filters in the URL: a deep link filters, a change updates the URL and the request', async () => {
    const { calls } = fakeBff({
      '/api/me': { body: ME },
      '/api/rollouts?state=Failed&awaiting=true': { body: list([]) },
      '/api/rollouts?state=Failed': { body: list([failed]) },
      '/api/rollouts?state=Failed&source=kubefleet': { body: list([]) },
    });
    const { router } = await renderApp('/rollouts?state=Failed&awaiting=true');
    expect(await screen.findByText('No rollout matches these filters')).toBeTruthy();
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'State' }).value).toBe('Failed');
    const awaiting = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Awaiting your approval' });
    expect(awaiting.checked).toBe(true);
    fireEvent.click(awaiting);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(router.state.location.search).toEqual({ state: 'Failed' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Source' }), { target: { value: 'kubefleet' } });
    await waitFor(() => expect(router.state.location.search).toEqual({ state: 'Failed', source: 'kubefleet' }));
    expect(calls.some((c) => c.url.search === '?state=Failed&source=kubefleet')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toEqual({}));
  });

  it('drops a filter value it does not know instead of failing', async () => {
    const { calls } = fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { body: list([canary]) } });
    await renderApp('/rollouts?state=Exploded');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(calls.find((c) => c.url.pathname === '/api/rollouts')?.url.search).toBe('');
  });

  it('patches the list from live events: an upsert updates or adds a row, a delete removes one', async () => {
    fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { body: list([canary, waiting]) } });
    await renderApp('/rollouts');
    await waitFor(() => expect(rows()).toHaveLength(2));
    streamReady();
    expect(screen.getByTestId('live-state').textContent).toBe('Live');
    const es = FakeEventSource.last!;
    es.emit('rollout', { type: 'upsert', rollout: { ...canary, state: 'Succeeded', currentWave: undefined } });
    es.emit('rollout', { type: 'upsert', rollout: failed });
    es.emit('rollout', { type: 'delete', id: waiting.id });
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-rollout'))).toEqual([failed.id, canary.id]));
    expect(row('core-stack-v42').textContent).toContain('Succeeded');
  });

  it('loads more with the cursor, and shows partial errors as a warning', async () => {
    const { calls } = fakeBff({
      '/api/me': { body: ME },
      '/api/rollouts': { body: { ...list([canary], 'c2'), errors: [{ source: 'kubefleet', reason: 'watch down' }] } },
      '/api/rollouts?cursor=c2': { body: list([failed]) },
    });
    await renderApp('/rollouts');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByText(/Some rollouts could not be read: kubefleet: watch down/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(calls.some((c) => c.url.search === '?cursor=c2')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says why it could not load, in the problem’s words', async () => {
    fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { status: 403, body: problem(403, 'you may not list rollouts') } });
    await renderApp('/rollouts');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Rollouts could not be loaded');
    expect(alert.textContent).toContain('you may not list rollouts');
  });

  it('says so when there is nothing to show', async () => {
    fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { body: list([]) } });
    await renderApp('/rollouts');
    expect(await screen.findByText('No rollouts to show')).toBeTruthy();
  });

  it('moves between rows with the arrow keys and opens one with Enter', async () => {
    fakeBff({ '/api/me': { body: ME }, '/api/rollouts': { body: list([canary, waiting]) } });
    const { router } = await renderApp('/rollouts');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.tabIndex)).toEqual([0, -1]);
    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1]!, { key: 'Enter' });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/rollouts/${waiting.id}`));
  });
});
