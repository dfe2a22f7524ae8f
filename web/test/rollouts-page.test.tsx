// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Rollout } from '@fleetdeck/shared';

import { detail } from './rollouts-fixtures.ts';
import { FakeEventSource, fakeBff, ME, problem, renderApp, streamReady, type Answer } from './rollouts-harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const r = detail();
const PATH = `/api/rollouts/${r.id}`;

async function open(rollout: Rollout, extra: Record<string, Answer> = {}) {
  const bff = fakeBff({ '/api/me': { body: ME }, [PATH]: { body: rollout }, ...extra });
  const app = await renderApp(`/rollouts/${rollout.id}`);
  await screen.findByRole('heading', { level: 1, name: rollout.name });
  return { ...bff, ...app };
}
const posts = (calls: { url: URL; init: RequestInit | undefined }[]) => calls.filter((c) => c.init?.method === 'POST');
// The app posts JSON text (api/client.ts), so the body is a string.
const bodyOf = (call: { init: RequestInit | undefined } | undefined): unknown => JSON.parse(call?.init?.body as string);

describe('Rollout page: approval', () => {
  it('disables Approve with the reason when this person may not approve the wave', async () => {
    await open(
      detail({ approveWaves: { production: { allowed: false, reason: 'The wave spans tenants: only Platform Admins may approve it.' } } }),
    );
    const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Approve wave production' });
    expect(button.disabled).toBe(true);
    const why = document.getElementById(button.getAttribute('aria-describedby')!)!;
    expect(why.textContent).toContain('The wave spans tenants: only Platform Admins may approve it.');
  });

  it('denies by default when the BFF says nothing about the wave', async () => {
    await open(detail({ approveWaves: {} }));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Approve wave production' }).disabled).toBe(true);
  });

  it('approves with the comment and the CSRF token; "already approved" is a calm note, not an error', async () => {
    const { calls } = await open(r, {
      [`${PATH}/waves/production/approve`]: {
        body: { outcome: 'no-op', code: 'alreadyApproved', message: 'Already approved by pat@demo.' },
      },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /Comment/ }), { target: { value: '  CAB 42 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve wave production' }));
    const note = await screen.findByTestId('action-result');
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toBe('Approval of wave production: Already approved by pat@demo.');
    expect(screen.queryByRole('alert')).toBeNull();
    const [post] = posts(calls);
    expect(post!.url.pathname).toBe(`${PATH}/waves/production/approve`);
    expect(new Headers(post!.init!.headers).get('x-csrf-token')).toBe('csrf-123');
    expect(bodyOf(post)).toEqual({ comment: 'CAB 42' });
  });

  it('shows a refused approval in the problem’s words', async () => {
    await open(r, { [`${PATH}/waves/production/approve`]: { status: 409, body: problem(409, 'the gate is not waiting') } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve wave production' }));
    expect((await screen.findByRole('alert')).textContent).toContain('the gate is not waiting');
  });
});

describe('Rollout page: actions', () => {
  it('disables an action with the BFF’s reason', async () => {
    await open(r);
    const rollback = screen.getByRole<HTMLButtonElement>('button', { name: 'Roll back…' });
    expect(rollback.disabled).toBe(true);
    expect(document.getElementById(rollback.getAttribute('aria-describedby')!)!.textContent).toBe('Nothing to roll back to yet.');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Pause' }).disabled).toBe(false);
    expect(screen.queryByRole('button', { name: 'Unpin' })).toBeNull();
  });

  it('aborts only after the exact name is typed, saying updated clusters stay updated; Esc closes', async () => {
    const { calls } = await open(r, { [`${PATH}/abort`]: { body: { outcome: 'done', code: 'aborted', message: 'The run was deleted.' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Abort…' }));
    let dialog = screen.getByRole('dialog', { name: `Abort ${r.name}?` });
    expect(dialog.textContent).toContain('Clusters already updated stay updated');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Abort…' }));
    dialog = screen.getByRole('dialog', { name: `Abort ${r.name}?` });
    const confirm = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Abort rollout' });
    const input = within(dialog).getByRole('textbox', { name: /Type the rollout's name/ });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'core-stack-v4' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'Core-stack-v42' } });
    expect(confirm.disabled).toBe(true);
    expect(posts(calls)).toHaveLength(0);
    fireEvent.change(input, { target: { value: r.name } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bodyOf(posts(calls)[0])).toEqual({ confirm: r.name });
    expect((await screen.findByTestId('action-result')).textContent).toBe('Abort: The run was deleted.');
  });

  it('rejects only with a reason', async () => {
    const { calls } = await open(r, { [`${PATH}/reject`]: { body: { outcome: 'done', code: 'rejected', message: 'Paused.' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject…' }));
    const dialog = screen.getByRole('dialog', { name: `Reject ${r.name}?` });
    const send = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Reject rollout' });
    expect(send.disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (required)' }), { target: { value: '   ' } });
    expect(send.disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (required)' }), { target: { value: 'error budget spent' } });
    fireEvent.click(send);
    await waitFor(() => expect(posts(calls)).toHaveLength(1));
    expect(bodyOf(posts(calls)[0])).toEqual({ reason: 'error budget spent' });
  });

  it('shows the roll back plan: revision, clusters, hidden ones and the note', async () => {
    await open(
      detail({
        actions: { ...r.actions, rollback: { allowed: true } },
        rollback: {
          toRevision: '41',
          fromRevision: '42',
          clusters: ['prod-us-east'],
          hiddenClusters: 2,
          note: 'A new run returns them to snapshot 41.',
        },
        pinned: { revision: 'abc', branch: 'main' },
      }),
    );
    expect(screen.getByText(/new pushes to main are not deployed until it is unpinned/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back…' }));
    const dialog = screen.getByRole('dialog', { name: `Roll back ${r.name}?` });
    expect(dialog.textContent).toContain('Returns to revision 41 (from 42)');
    expect(within(dialog).getByRole('list', { name: 'Clusters the roll back touches' }).textContent).toBe('prod-us-east');
    expect(dialog.textContent).toContain('and 2 clusters outside your scope');
    expect(dialog.textContent).toContain('A new run returns them to snapshot 41.');
    expect(screen.getByRole('button', { name: 'Unpin' })).toBeTruthy();
  });
});

describe('Rollout page: live', () => {
  it('refetches on an event for this rollout and says when it is gone', async () => {
    let gone = false;
    const { calls } = await open(r, {
      [PATH]: () =>
        gone ? { status: 404, body: problem(404, 'no rollout') } : { body: detail({ state: 'Progressing', currentWave: 'production' }) },
    });
    streamReady();
    const gets = () => calls.filter((c) => c.url.pathname === PATH).length;
    const before = gets();
    FakeEventSource.last!.emit('rollout', { type: 'upsert', rollout: { ...r, state: 'Progressing' } });
    await waitFor(() => expect(gets()).toBe(before + 1));
    expect(screen.getByTestId('rollout-state').textContent).toBe('Progressing');
    gone = true;
    FakeEventSource.last!.emit('rollout', { type: 'delete', id: r.id });
    expect(await screen.findByText('This rollout is gone')).toBeTruthy();
  });
});
