// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { STEP_UP_PROBLEM_TYPE, type Rollout } from '@fleetdeck/shared';

import { detail } from '../../rollouts-fixtures.ts';
import { fakeBff, ME, problem, renderApp, type Answer } from '../../rollouts-harness.tsx';
import { notReady, progressOneOfTwo } from './readiness-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const r = detail();
const PATH = `/api/rollouts/${r.id}`;
const READINESS = `${PATH}/waves/production/readiness`;
const APPROVE = `${PATH}/waves/production/approve`;
const DONE = { body: { outcome: 'done', code: 'approved', message: 'Approved.' } };

async function open(rollout: Rollout, extra: Record<string, Answer>) {
  const bff = fakeBff({ '/api/me': { body: ME }, [PATH]: { body: rollout }, [READINESS]: { body: notReady() }, ...extra });
  const app = await renderApp(`/rollouts/${rollout.id}`);
  await screen.findByRole('heading', { level: 1, name: rollout.name });
  return { ...bff, ...app };
}
const posts = (calls: { url: URL; init: RequestInit | undefined }[]) => calls.filter((c) => c.init?.method === 'POST');
const reasonBox = () => screen.findByRole('textbox', { name: /Reason to approve although not ready/ });
const approve = () => fireEvent.click(screen.getByRole('button', { name: 'Approve wave production' }));

describe('Approving a wave that is not ready', () => {
  it('requires a typed reason: without one nothing is sent and the field says why', async () => {
    const { calls } = await open(r, { [APPROVE]: DONE });
    const box = await reasonBox();
    expect(box.hasAttribute('required')).toBe(true);
    approve();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Type why you approve this wave although it is not ready.');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(box);
    // Only spaces are no reason either.
    fireEvent.change(box, { target: { value: '   ' } });
    approve();
    expect(posts(calls)).toHaveLength(0);
  });

  it('sends the reason with the readiness that was shown (verdict, reasons, time, digest)', async () => {
    const { calls } = await open(r, { [APPROVE]: DONE });
    const box = await reasonBox();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).toBe(
      'This wave is shown as: Not ready, because 1 of 2 clusters below 95% pods healthy; 1 violation introduced by this wave.',
    );
    fireEvent.change(box, { target: { value: ' Known flaky probe, INC-7 ' } });
    fireEvent.change(screen.getByRole('textbox', { name: /Comment/ }), { target: { value: 'CAB 42' } });
    approve();
    await screen.findByTestId('action-result');
    const [post] = posts(calls);
    expect(post!.url.pathname).toBe(APPROVE);
    expect(JSON.parse(post!.init!.body as string)).toEqual({
      comment: 'CAB 42',
      notReadyReason: 'Known flaky probe, INC-7',
      readiness: {
        verdict: 'NotReady',
        reasons: ['1 of 2 clusters below 95% pods healthy', '1 violation introduced by this wave'],
        evaluatedAt: '2026-11-24T09:58:00Z',
        digest: 'sha256:abc',
      },
    });
  });

  it('shows the BFF’s 422 in its own words and then asks for a reason even if the readiness had not loaded', async () => {
    await open(r, {
      [READINESS]: { status: 404, body: problem(404, 'no readiness') },
      [APPROVE]: { status: 422, body: problem(422, 'This wave is not ready: say why you approve it anyway.') },
    });
    expect(screen.queryByRole('textbox', { name: /Reason to approve although not ready/ })).toBeNull();
    approve();
    expect((await screen.findByRole('alert')).textContent).toContain('This wave is not ready: say why you approve it anyway.');
    expect(await reasonBox()).toBeTruthy();
  });

  it('sends the person through a multi-factor sign-in and back here when the BFF asks for it', async () => {
    await open(r, {
      [APPROVE]: { status: 401, body: { ...problem(401, 'multi-factor sign-in required'), type: STEP_UP_PROBLEM_TYPE } },
    });
    fireEvent.change(await reasonBox(), { target: { value: 'INC-7' } });
    approve();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Approving this wave needs a multi-factor sign-in');
    const link = within(alert).getByRole('link', { name: 'Sign in with multi-factor' });
    const url = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/api/auth/login');
    expect(url.searchParams.get('stepUp')).toBe('mfa');
    expect(url.searchParams.get('returnTo')).toBe(`/rollouts/${r.id}`);
  });

  it('a 401 of another kind is an ordinary error, not a step-up', async () => {
    await open(r, { [APPROVE]: { status: 401, body: problem(401, 'session expired') } });
    fireEvent.change(await reasonBox(), { target: { value: 'INC-7' } });
    approve();
    expect((await screen.findByRole('alert')).textContent).toContain('session expired');
    expect(screen.queryByRole('link', { name: 'Sign in with multi-factor' })).toBeNull();
  });
});

describe('Approver policy progress', () => {
  it('shows "1 of 2 approvals; needs one more from …" and who approved, when, why', async () => {
    await open(detail({ approvalProgress: { production: progressOneOfTwo() } }), {});
    const progress = screen.getByTestId('approval-progress');
    expect(progress.textContent).toContain('1 of 2 approvals; needs one more from fleet-platform-admins');
    expect(progress.textContent).toContain('fleet-platform-admins: 0 of 1 (needed)');
    const approvals = within(screen.getByRole('list', { name: 'Approvals so far' })).getAllByRole('listitem');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.textContent).toContain('alex@demo');
    expect(approvals[0]!.textContent).toContain('“CAB 42”');
    expect(approvals[0]!.textContent).toContain('Approved although not ready: “Known flaky probe, tracked in INC-7”');
    expect(approvals[0]!.querySelector('time')!.getAttribute('datetime')).toBe('2026-11-24T09:50:00Z');
    expect(screen.queryByTestId('your-approval')).toBeNull();
  });

  it('a person already counted sees so, and Approve disabled with the BFF’s reason', async () => {
    await open(
      detail({
        approvalProgress: { production: progressOneOfTwo(ME.principal.user) },
        approveWaves: {
          production: { allowed: false, reason: 'You already approved this wave; a second approval must come from someone else.' },
        },
      }),
      {},
    );
    expect(screen.getByTestId('your-approval').textContent).toContain('You approved this wave');
    // Nothing to type for someone who may not approve (the readiness stays beside it).
    await screen.findByTestId('readiness-verdict');
    expect(screen.queryByRole('textbox', { name: /Reason to approve although not ready/ })).toBeNull();
    const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Approve wave production' });
    expect(button.disabled).toBe(true);
    await waitFor(() =>
      expect(document.getElementById(button.getAttribute('aria-describedby')!)!.textContent).toContain('You already approved this wave'),
    );
  });

  it('says ahead that a multi-factor sign-in is needed when the policy asks for it and this sign-in had none', async () => {
    const needsMfa = detail({ approvalProgress: { production: { ...progressOneOfTwo(), mfaRequired: true } } });
    fakeBff({
      '/api/me': { body: { ...ME, principal: { ...ME.principal, mfa: false } } },
      [PATH]: { body: needsMfa },
      [READINESS]: { body: notReady() },
    });
    await renderApp(`/rollouts/${r.id}`);
    const note = await screen.findByTestId('step-up-ahead');
    expect(note.getAttribute('role')).toBe('note');
    expect(note.textContent).toContain('needs a multi-factor sign-in; you signed in without one');
    const url = new URL(within(note).getByRole('link').getAttribute('href')!, 'http://localhost');
    expect([url.pathname, url.searchParams.get('stepUp'), url.searchParams.get('returnTo')]).toEqual([
      '/api/auth/login',
      'mfa',
      `/rollouts/${r.id}`,
    ]);
  });

  it('says nothing ahead when this sign-in had multi-factor', async () => {
    const needsMfa = detail({ approvalProgress: { production: { ...progressOneOfTwo(), mfaRequired: true } } });
    await open(needsMfa, { '/api/me': { body: { ...ME, principal: { ...ME.principal, mfa: true } } } });
    await screen.findByTestId('readiness-verdict');
    expect(screen.queryByTestId('step-up-ahead')).toBeNull();
  });
});
