import { fileURLToPath } from 'node:url';

import { expect, test, type Browser, type Page } from '@playwright/test';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// The demo's rollouts move by themselves (each cluster update takes 5–15 s) and stop at
// approval gates: client-a's web-v3 waits before production for two approvers (its Tenant
// Admin and a Platform Admin), the fleet-wide cve-2024-critical for two Platform Admins.
// These journeys watch the real BFF's live events repaint the page, never a reload. Nothing
// here releases cve-2024-critical (promotion.spec.ts gives it one of its two approvals).

// Two cores shared with the rest of the team: axe on a full rollout page takes seconds.
test.describe.configure({ timeout: 120_000 });

async function openRollouts(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rollouts');
  await expect(page.getByTestId('rollout-row').first()).toBeVisible();
}

/** Every visible cluster cell as "cluster=state", in page order. */
const cellStates = (page: Page) =>
  page
    .getByTestId('cluster-cell')
    .evaluateAll((cells) => cells.map((c) => `${c.getAttribute('data-cluster')}=${c.getAttribute('data-state')}`).join(' '));

test('an approver approves a gate with a comment; the operator on the rollout page watches the wave start, without reloading', async ({
  page,
  browser,
}) => {
  // The operator (a Platform Admin) has client-a's release open, as on a wall screen.
  await signInAs(page, 'platform-admin@demo');
  await openRollouts(page);
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await expectAccessible(page, 'Rollouts list');
  await page.getByTestId('rollout-row').filter({ hasText: 'web-v3' }).getByRole('link', { name: 'web-v3', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('web-v3');
  const production = page.locator('[data-testid="wave"][data-wave="production"]');
  await expect(production.getByRole('group', { name: 'Approval before production' })).toContainText('Waiting');
  await expectAccessible(page, 'rollout page');
  await page.evaluate(() => Object.assign(window, { fleetdeckNoReload: true }));
  const before = await cellStates(page);

  // Production needs two approvals, one from fleet-platform-admins (the demo's approver policy).
  // client-a's Tenant Admin approves first, from their own browser, with a comment: one of two.
  const comment = `Staging soak looks good (${Date.now()})`;
  const first = await approveWebV3(browser, 'client-a-admin@demo', comment, { listFiltered: true });
  await expect(first.getByTestId('approval-progress')).toContainText('1 of 2 approvals; needs one more from fleet-platform-admins');
  await expect(first.getByTestId('your-approval')).toBeVisible();
  // Recorded twice: in Fleetdeck's audit and on the upstream object.
  const entry = first.getByTestId('history').getByRole('row').filter({ hasText: comment }).first();
  await expect(entry).toContainText('client-a-admin@demo');
  await expect(entry).toContainText('production');
  await expectAccessible(first, 'rollout page after approving');
  await first.context().close();
  // The gate still waits on the operator's page.
  await expect(production.getByRole('group', { name: 'Approval before production' })).toContainText('Waiting');

  // The on-call Platform Admin gives the second approval, which releases the gate.
  const second = await approveWebV3(browser, 'oncall-admin@demo', 'second approver');
  await second.context().close();

  // The operator's page follows by itself: the gate says who approved, and clusters start moving.
  await expect(production.getByRole('group', { name: 'Approval before production' })).toContainText('oncall-admin@demo', {
    timeout: 10_000,
  });
  await expect.poll(() => cellStates(page), { timeout: 20_000, intervals: [250] }).not.toBe(before);
  const after = await cellStates(page);
  const changed = after.split(' ').find((cell) => !before.split(' ').includes(cell))!;
  const [cluster, state] = changed.split('=');
  // The change reads as text in the cell, not only as colour.
  await expect(page.locator(`[data-testid="cluster-cell"][data-cluster="${cluster}"]`).getByTestId('cluster-state')).toContainText(state!);
  await expect(page.getByTestId('history')).toContainText(comment);
  expect(await page.evaluate(() => (window as { fleetdeckNoReload?: boolean }).fleetdeckNoReload)).toBe(true);

  // The dangerous actions ask first, in an accessible dialog.
  await page.getByRole('button', { name: 'Abort…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Abort web-v3?' });
  await expect(dialog).toContainText('Clusters already updated stay updated');
  await expect(dialog.getByRole('button', { name: 'Abort rollout' })).toBeDisabled();
  await expectAccessible(page, 'abort dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('a client-a Tenant Admin sees Approve disabled, with the reason, on the gate that spans tenants', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  await openRollouts(page);
  const row = page.getByTestId('rollout-row').filter({ hasText: 'cve-2024-critical' });
  await expect(row).toContainText(/clusters? outside your scope/);
  await expect(row).not.toContainText('Awaiting your approval');
  await row.getByRole('link', { name: 'cve-2024-critical', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('cve-2024-critical');
  const approve = page.getByRole('button', { name: 'Approve wave production' });
  await expect(approve).toBeDisabled();
  const why = page.locator(`[id="${await approve.getAttribute('aria-describedby')}"]`);
  await expect(why).toContainText('You cannot approve this wave:');
  expect(((await why.textContent()) ?? '').length).toBeGreaterThan('You cannot approve this wave: '.length + 5);
  // Other tenants' clusters are counted, never named.
  await expect(page.getByText(/outside your scope/).first()).toBeVisible();
  const html = await page.content();
  for (const other of ['prod-eu-west', 'prod-asia', 'client-b', 'client-c']) expect(html).not.toContain(other);
  await expectAccessible(page, 'redacted rollout page');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, 'redacted rollout page, dark');
});

test('the fleet table and the cluster page link to the rollouts touching a cluster', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  const cell = page.locator('[data-cluster="client-a-staging"]').getByRole('link', { name: /active/ });
  await expect(cell).toBeVisible();
  await page.goto('/fleet/clusters/client-a-staging');
  const section = page.getByRole('region', { name: 'Current rollouts' });
  const link = section.getByRole('link').first();
  await expect(link).toBeVisible();
  const text = (await link.textContent())!;
  await link.click();
  await expect(page).toHaveURL(/\/rollouts\/[a-z-]+~/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(text.split('/').at(-1)!);
});

test('README screenshot of a rollout page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAs(page, 'platform-admin@demo');
  await openRollouts(page);
  await page.getByTestId('rollout-row').getByRole('link', { name: 'cve-2024-critical', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('cve-2024-critical');
  await expect(page.getByTestId('cluster-cell').first()).toBeVisible();
  await page.screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/rollout.png', import.meta.url)), fullPage: false });
});

/**
 * One approver approves web-v3's production wave from their own browser, with a comment,
 * typing a reason too if the demo's readiness says the wave is not ready right now (a new
 * demo violation can land on its canary at any time). Answers the approver's page.
 */
async function approveWebV3(browser: Browser, user: string, comment: string, options: { listFiltered?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext();
  const approver = await context.newPage();
  await signInAs(approver, user);
  await openRollouts(approver);
  if (options.listFiltered) {
    await approver.getByRole('checkbox', { name: 'Awaiting your approval' }).check();
    await expect(approver).toHaveURL(/awaiting=true/);
  }
  // By id: a Platform Admin also sees client-b's web-v3-1.
  const row = approver.locator('[data-testid="rollout-row"][data-rollout="demo~fleet-client-a~web-v3"]');
  await expect(row).toContainText('Awaiting your approval');
  await row.getByRole('link', { name: 'web-v3', exact: true }).click();
  await approver.getByRole('textbox', { name: /Comment/ }).fill(comment);
  const reason = approver.getByRole('textbox', { name: /Reason to approve although not ready/ });
  // The readiness panel decides whether the reason box is there; wait for its verdict first.
  await expect(approver.getByTestId('readiness-verdict')).toBeVisible();
  if (await reason.isVisible()) await reason.fill('demo: approving through a new finding on purpose');
  await approver.getByRole('button', { name: 'Approve wave production' }).click();
  await expect(approver.getByTestId('action-result')).toContainText('Approval of wave production');
  await expect(approver.getByRole('alert')).toHaveCount(0);
  return approver;
}
