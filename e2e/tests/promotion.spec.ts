import { expect, test, type Page } from '@playwright/test';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// Promotion gates on the demo fleet: an approver sees that the wave waiting for them is
// Not ready and why, must type a reason to approve it anyway, and the history keeps that
// reason with the readiness they were shown. The demo fleet has a rollout waiting at a gate
// whose wave is not ready; it is found, not named, so the journey follows the demo's data.
// rollouts.spec.ts approves web-v3 (two approvals, counted): this journey never touches it,
// whatever its readiness, or that count would be off by one. cve-2024-critical (whose
// non-prod wave always holds the demo's limping staging cluster, so it is Not ready) is
// asked about after any other waiting rollout; rollouts.spec.ts never releases it.

test.describe.configure({ timeout: 180_000 });

const APPROVED_ELSEWHERE = 'web-v3';
const ASK_LAST = 'cve-2024-critical';

/** The names of the rollouts waiting for this person's approval, from the list filtered to them. */
async function awaitingRollouts(page: Page): Promise<string[]> {
  await page.goto('/rollouts?awaiting=true');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rollouts');
  await expect(page.getByRole('checkbox', { name: 'Awaiting your approval' })).toBeChecked();
  await expect(page.getByTestId('rollout-row').first()).toBeVisible();
  const names = await page
    .getByTestId('rollout-row')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('a')?.textContent?.trim() ?? '').filter(Boolean));
  const candidates = names.filter((n) => n !== APPROVED_ELSEWHERE);
  return [...candidates.filter((n) => n !== ASK_LAST), ...candidates.filter((n) => n === ASK_LAST)];
}

/** Opens each waiting rollout in turn until one whose waiting wave's readiness is Not ready; returns its name. */
async function openNotReadyRollout(page: Page): Promise<string> {
  const names = await awaitingRollouts(page);
  for (const name of names) {
    await page.goto('/rollouts?awaiting=true');
    await page.getByTestId('rollout-row').getByRole('link', { name, exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    const readiness = page.getByTestId('readiness-panel').getByTestId('readiness');
    await expect(readiness).toBeVisible({ timeout: 15_000 });
    if ((await readiness.getAttribute('data-verdict')) === 'NotReady') return name;
  }
  throw new Error(`none of the rollouts waiting for approval (${names.join(', ')}) has a Not ready wave`);
}

test('an approver sees Not ready and why, types a reason, approves; the history keeps the reason and what was shown', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');

  // The inbox in the top bar names the gates waiting for this person.
  const inbox = page.getByRole('button', { name: /^Waiting for you \(\d+\)$/ });
  await expect(inbox).toBeVisible();
  await expect(inbox).not.toHaveAccessibleName('Waiting for you (0)', { timeout: 15_000 });
  await inbox.focus();
  await page.keyboard.press('Enter');
  const gates = page.getByRole('list', { name: 'Gates waiting for you' });
  await expect(gates.getByRole('link').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(gates).toBeHidden();
  await expect(inbox).toBeFocused();

  const name = await openNotReadyRollout(page);
  const panel = page.getByTestId('readiness-panel');
  const approval = page.getByTestId('approval-panel');
  const wave = (await approval.getByRole('heading', { level: 2 }).textContent())!.match(/wave (\S+) is waiting/)![1]!;

  // The verdict reads as words, each reason with a link to its evidence inside the app.
  await expect(panel.getByTestId('readiness-verdict')).toHaveText('Not ready, because');
  const reasons = panel.getByRole('list', { name: 'Reasons' }).getByRole('listitem');
  await expect(reasons.first()).toBeVisible();
  const shownReasons = (await reasons.allTextContents()).map((t) => t.split(' — ')[0]!.trim());
  expect(shownReasons.length).toBeGreaterThan(0);
  const evidence = panel.getByRole('list', { name: 'Reasons' }).getByRole('link');
  await expect(evidence.first()).toBeVisible();
  for (const href of await evidence.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) expect(href).toMatch(/^\/[^/]/);
  // An evidence link opens its page inside the app; Back returns to the rollout.
  const firstHref = (await evidence.first().getAttribute('href'))!;
  await evidence.first().click();
  await expect(page).toHaveURL((url) => url.pathname === new URL(firstHref, 'http://x').pathname);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(panel.getByTestId('readiness-check').first()).toBeVisible();
  await expect(panel.getByTestId('readiness-evaluated')).toContainText('Evaluated');
  await expectAccessible(page, 'rollout page with a Not ready wave');

  // Approving without a reason is refused before anything is sent.
  const approve = approval.getByRole('button', { name: `Approve wave ${wave}` });
  await approve.click();
  await expect(approval.getByRole('alert')).toHaveText('Type why you approve this wave although it is not ready.');
  const reasonBox = approval.getByRole('textbox', { name: /Reason to approve although not ready/ });
  await expect(reasonBox).toBeFocused();

  const reason = `Known flaky probe, tracked in INC-${Date.now()}`;
  await reasonBox.fill(reason);
  await approval.getByRole('textbox', { name: /Comment/ }).fill('Approved on the e2e journey');
  await approve.click();
  await expect(approval.getByTestId('action-result')).toContainText(`Approval of wave ${wave}`);
  await expect(approval.getByRole('alert')).toHaveCount(0);

  // The approver policy counted this person (once): progress says so.
  await expect(approval.getByTestId('approval-progress')).toContainText('platform-admin@demo', { timeout: 10_000 });

  // The history keeps the reason and the readiness that was shown, as the BFF recorded it.
  const entry = page.getByTestId('history').getByRole('row').filter({ hasText: reason }).first();
  await expect(entry).toBeVisible({ timeout: 10_000 });
  await expect(entry).toContainText('platform-admin@demo');
  await expect(entry).toContainText(wave);
  const seen = entry.getByTestId('history-readiness');
  await expect(seen).toContainText('Not ready');
  await expect(seen.getByTestId('not-ready-reason')).toHaveText(`Approved although not ready: ${reason}`);
  await expect(seen.getByRole('list', { name: 'Reasons shown' })).toContainText(shownReasons[0]!);
  await expectAccessible(page, `${name} after approving a Not ready wave`);

  // The same in dark mode.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, `${name} after approving, dark`);
});
