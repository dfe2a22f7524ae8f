// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Inbox } from '@fleetdeck/shared';

import { list, summary } from '../../rollouts-fixtures.ts';
import { FakeEventSource, fakeBff, ME, renderApp, type Answer } from '../../rollouts-harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const INBOX = Inbox.parse({
  items: [
    {
      rolloutId: 'demo~~web-v3',
      rollout: 'web-v3',
      tenant: 'client-a',
      wave: 'production',
      position: 'before',
      waitingSince: '2026-11-24T09:00:00Z',
      progress: { given: 1, required: 2 },
      href: '/rollouts/demo~~web-v3',
    },
    { rolloutId: 'demo~~cve', rollout: 'cve-2024-critical', wave: 'production', position: 'after', href: '/rollouts/demo~~cve' },
  ],
  errors: [],
});

async function open(inbox: Answer) {
  const bff = fakeBff({
    '/api/me': { body: ME },
    '/api/inbox': inbox,
    '/api/rollouts': { body: list([summary({ name: 'web-v3' })]) },
    '/api/fleet': { body: { tenants: [], clusters: [], errors: [] } },
  });
  const app = await renderApp('/rollouts');
  return { ...bff, ...app };
}
const inboxCalls = (calls: { url: URL }[]) => calls.filter((c) => c.url.pathname === '/api/inbox').length;

describe('Inbox in the top bar', () => {
  it('names the count on its button and lists the gates, each linking to its rollout; Escape closes it', async () => {
    const { router } = await open({ body: INBOX });
    const button = await screen.findByRole('button', { name: 'Waiting for you (2)' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const region = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(region.hidden).toBe(true);
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(region.hidden).toBe(false);
    const links = within(screen.getByRole('list', { name: 'Gates waiting for you' })).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/rollouts/demo~~web-v3', '/rollouts/demo~~cve']);
    expect(links[0]!.textContent).toContain('web-v3: wave production waits to start');
    expect(links[0]!.textContent).toContain('client-a · 1 of 2 approvals · waiting since');
    expect(links[1]!.textContent).toContain('cve-2024-critical: wave production waits to finish');

    fireEvent.keyDown(links[0]!, { key: 'Escape' });
    expect(region.hidden).toBe(true);
    expect(document.activeElement).toBe(button);

    fireEvent.click(button);
    fireEvent.click(within(region).getAllByRole('link')[0]!);
    await waitFor(() => expect(router.state.location.pathname).toBe('/rollouts/demo~~web-v3'));
    expect(region.hidden).toBe(true);
  });

  it('says "Nothing waiting for you" when the count is 0', async () => {
    await open({ body: { items: [], errors: [] } });
    const button = await screen.findByRole('button', { name: 'Waiting for you (0)' });
    fireEvent.click(button);
    expect(screen.getByTestId('inbox-empty').textContent).toBe('Nothing waiting for you');
    expect(screen.queryByRole('list', { name: 'Gates waiting for you' })).toBeNull();
  });

  it('is asked again when a rollout changes, and its count follows', async () => {
    let items = INBOX.items;
    const { calls } = await open(() => ({ body: { items, errors: [] } }));
    await screen.findByRole('button', { name: 'Waiting for you (2)' });
    const before = inboxCalls(calls);
    items = INBOX.items.slice(1);
    act(() => FakeEventSource.last!.emit('rollout', { type: 'upsert', rollout: summary({ name: 'web-v3', state: 'Progressing' }) }));
    await screen.findByRole('button', { name: 'Waiting for you (1)' });
    expect(inboxCalls(calls)).toBeGreaterThan(before);
    // Another rollout moving (not waiting for this person, not listed) does not ask again.
    const after = inboxCalls(calls);
    act(() => FakeEventSource.last!.emit('rollout', { type: 'upsert', rollout: summary({ name: 'core-stack', state: 'Progressing' }) }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inboxCalls(calls)).toBe(after);
  });

  it('polls every 30 s', async () => {
    // Timers run at real speed (the page loads as usual) and can also be moved on.
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const { calls } = await open({ body: INBOX });
      await screen.findByRole('button', { name: 'Waiting for you (2)' });
      const before = inboxCalls(calls);
      await act(() => vi.advanceTimersByTimeAsync(20_000));
      expect(inboxCalls(calls)).toBe(before);
      await act(() => vi.advanceTimersByTimeAsync(11_000));
      await waitFor(() => expect(inboxCalls(calls)).toBe(before + 1));
    } finally {
      vi.useRealTimers();
    }
  });
});
