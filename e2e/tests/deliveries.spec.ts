import { expect, test, type Page } from '@playwright/test';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// The demo's GitOps fleet: Fleet GitRepos (the brief's core-stack with its targets and
// customizations) and Argo CD Applications over every tenant. client-a's storefront on
// prod-us-east is OutOfSync (Git moved on, nothing synced it yet): the Tenant Admin's journey
// syncs it. The demo's Argo CD stand-in picks the `operation` up, runs it, and clears it; the
// page follows through live events, never a reload.

// Two cores shared with the rest of the team: axe on a full page takes seconds.
test.describe.configure({ timeout: 120_000 });

const STOREFRONT = 'client-a-storefront-prod-us-east';

async function openDeliveries(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deliveries' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deliveries');
  await expect(page.getByTestId('delivery-row').first()).toBeVisible();
}

const row = (page: Page, name: string) => page.getByTestId('delivery-row').filter({ has: page.getByRole('link', { name, exact: true }) });

test('a Tenant Admin filters to production, syncs an OutOfSync app and watches it turn Synced without reloading', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  await openDeliveries(page);
  await expect(page.getByTestId('live-state')).toHaveText('Live');

  await page.getByRole('combobox', { name: 'Environment' }).selectOption('production');
  await expect(page).toHaveURL(/[?&]env=production(&|$)/);
  const app = row(page, STOREFRONT);
  await expect(app.getByTestId('delivery-status')).toContainText('OutOfSync');
  // Only client-a's deliveries: other tenants' apps are not named anywhere on the page.
  const html = await page.content();
  for (const other of ['client-b-checkout', 'client-c-api', 'prod-eu-west', 'prod-asia']) expect(html).not.toContain(other);
  await expectAccessible(page, 'Deliveries list (production)');

  // Keyboard: the row takes focus and Enter opens it.
  await app.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(STOREFRONT);
  await expect(page).toHaveURL(/\/deliveries\/argocd%3Aargocd%2Fclient-a-storefront-prod-us-east$/);
  await expect(page.getByTestId('delivery-state')).toContainText('OutOfSync');
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await expectAccessible(page, 'Delivery page');
  await page.evaluate(() => Object.assign(window, { fleetdeckNoReload: true }));

  await page.getByRole('button', { name: 'Sync…' }).click();
  const dialog = page.getByRole('dialog', { name: `Sync ${STOREFRONT}?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'sync dialog');
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('action-result')).toContainText('Sync:');

  // The engine moves the app on its own; the page follows through live events.
  await expect(page.getByTestId('delivery-state')).toContainText('Synced', { timeout: 30_000 });
  await expect(page.getByTestId('operation-phase')).toHaveText('Succeeded');
  const target = page.getByTestId('delivery-target').filter({ hasText: 'prod-us-east' });
  await expect(target.getByTestId('behind')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { fleetdeckNoReload?: boolean }).fleetdeckNoReload)).toBe(true);

  // Dark mode, then back to the filtered list (the filter is still in the URL), which shows the change too.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, 'Delivery page, dark');
  await page.goBack();
  await expect(page).toHaveURL(/[?&]env=production(&|$)/);
  await expect(row(page, STOREFRONT).getByTestId('delivery-status')).toContainText('Synced');
  await expectAccessible(page, 'Deliveries list, dark');
  expect(await page.evaluate(() => (window as { fleetdeckNoReload?: boolean }).fleetdeckNoReload)).toBe(true);
});

test('a Tenant Admin previews a bulk sync by labels: what would be synced, what is skipped and why', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  await page.goto('/deliveries?labels=env%3Dproduction');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deliveries', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Sync by labels…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sync Argo CD applications by labels' });
  await expect(dialog.getByRole('textbox', { name: /Application labels/ })).toHaveValue('env=production');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('sync-preview')).toContainText('env=production');
  await expect(dialog.getByTestId('sync-preview')).toContainText('client-a');
  await expect(dialog.getByTestId('sync-preview')).not.toContainText('client-b');
  await expectAccessible(page, 'bulk sync preview');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('a Platform Admin opens core-stack and sees what goes where', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await openDeliveries(page);
  await page.getByRole('searchbox', { name: 'Text' }).fill('core-stack');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]q=core-stack/);
  await row(page, 'core-stack').getByRole('link', { name: 'core-stack', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('core-stack');

  const where = page.getByRole('region', { name: 'What goes where' });
  await expect(where).toContainText('Customizations only change options; they never add clusters.');
  const production = where
    .getByTestId('customization')
    .filter({ has: page.getByRole('list', { name: /Options of/ }).filter({ hasText: 'replicas: 3' }) });
  await expect(production).toHaveCount(1);
  await expect(
    production
      .getByRole('list', { name: /applied to/ })
      .getByRole('link')
      .first(),
  ).toBeVisible();
  await expect(where.getByTestId('customization').filter({ hasText: 'replicas: 1' })).toHaveCount(1);
  await expect(where.getByTestId('customization').filter({ hasText: 'lightweight: true' })).toHaveCount(1);
  await expectAccessible(page, 'core-stack');

  // core-stack's one target allows every cluster; the production customization's selector opens the Fleet page filtered by it.
  await expect(where.getByTestId('target-rule')).toContainText('(every cluster)');
  const selector = production.getByRole('link', { name: /env=production/ });
  const text = (await selector.textContent())!;
  await selector.click();
  await expect(page).toHaveURL(/\/fleet\?selector=/);
  expect(new URL(page.url()).searchParams.get('selector')).toBe(text);
});

test('the cluster page lists the deliveries on it, linked to their pages', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  await page.goto('/fleet/clusters/prod-us-east');
  // A full page load on a busy machine: the session check and the cluster may take a while.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('prod-us-east', { timeout: 20_000 });
  const section = page.getByRole('region', { name: 'Deliveries' });
  await expect(section.getByTestId('cluster-delivery').first()).toBeVisible({ timeout: 15_000 });
  await expect(section.getByTestId('cluster-delivery').filter({ hasText: 'client-a-storefront-prod-us-east' })).toHaveCount(1);
  await expectAccessible(page, 'cluster page with deliveries');
  await section.getByRole('link', { name: 'core-stack', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('core-stack');
});
