import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';

import { DEMO_USERS } from '@fleetdeck/shared';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// What each persona must see on the demo fleet: the brief's clusters per tenant,
// narrowed by the default access policy.
const EXPECTED: Record<string, { tenants: string[]; clusters: string[] }> = {
  'platform-admin@demo': {
    tenants: ['client-a', 'client-b', 'client-c'],
    clusters: [
      'prod-us-east',
      'prod-us-west',
      'client-a-staging',
      'edge-retail-001',
      'edge-retail-012',
      'prod-eu-west',
      'client-b-staging',
      'client-b-dev',
      'prod-asia',
      'client-c-staging',
    ],
  },
  'client-a-admin@demo': {
    tenants: ['client-a'],
    clusters: ['prod-us-east', 'prod-us-west', 'client-a-staging', 'edge-retail-001', 'edge-retail-012'],
  },
  'client-a-dev@demo': { tenants: ['client-a'], clusters: ['client-a-staging'] },
  'client-b-viewer@demo': { tenants: ['client-b'], clusters: ['prod-eu-west', 'client-b-staging', 'client-b-dev'] },
};
const ALL_TENANTS = ['client-a', 'client-b', 'client-c'];
const COUNTS: Record<string, number> = {
  'platform-admin@demo': 20,
  'client-a-admin@demo': 15,
  'client-a-dev@demo': 1,
  'client-b-viewer@demo': 3,
};

for (const [user, expected] of Object.entries(EXPECTED)) {
  test(`${user} sees exactly their part of the fleet`, async ({ page }) => {
    await signInAs(page, user);
    const rows = page.getByTestId('cluster-row');
    await expect(rows).toHaveCount(COUNTS[user]!);
    for (const cluster of expected.clusters) await expect(page.locator(`[data-cluster="${cluster}"]`)).toBeVisible();
    for (const tenant of ALL_TENANTS) {
      await expect(page.getByTestId(`tenant-${tenant}`)).toHaveCount(expected.tenants.includes(tenant) ? 1 : 0);
    }
    // Nothing of another tenant anywhere in the page, not even in hidden text.
    const html = await page.content();
    for (const other of ALL_TENANTS.filter((t) => !expected.tenants.includes(t))) expect(html).not.toContain(other);
    await expectAccessible(page, `Fleet page as ${user}`);
  });
}

test('status reads as text and icon; the selector lives in the URL and explains its errors', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await expect(page.locator('[data-cluster="edge-retail-007"]')).toContainText('Not ready');
  const selector = page.getByRole('searchbox', { name: 'Cluster selector' });
  await selector.fill('region=eu-west');
  await expect(page).toHaveURL(/[?&]selector=region/);
  await expect(page.getByTestId('cluster-row')).toHaveCount(3);
  // The link works on its own: a fresh load of the URL shows the same selection.
  await page.reload();
  await expect(selector).toHaveValue('region=eu-west');
  await expect(page.getByTestId('cluster-row')).toHaveCount(3);
  await selector.fill('region=eu-west,,tier=edge');
  await expect(page.getByRole('alert')).toContainText('empty term');
  await expect(selector).toHaveAttribute('aria-invalid', 'true');
  await selector.fill('no-such-cluster-*');
  await expect(page.getByText('No cluster matches this selection')).toBeVisible();
  await expectAccessible(page, 'Fleet page, empty selection');
});

test('a Tenant Admin selects env=production and sees only their production clusters', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  await page.getByRole('searchbox', { name: 'Cluster selector' }).fill('env=production');
  await expect(page.getByTestId('cluster-row')).toHaveCount(14);
  for (const row of await page.getByTestId('cluster-row').all()) await expect(row).toHaveAttribute('data-tenant', 'client-a');
  await page
    .getByRole('group', { name: 'Status facets' })
    .getByRole('button', { name: /NotReady/ })
    .click();
  await expect(page.getByTestId('cluster-row')).toHaveCount(1);
  await expect(page).toHaveURL(/state=NotReady/);
  await expectAccessible(page, 'Fleet page with facets');
});

test('rows are keyboard-navigable; Enter opens the cluster page', async ({ page }) => {
  await signInAs(page, 'client-b-viewer@demo');
  const first = page.getByTestId('fleet-rows').locator('[data-index="0"]');
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-index="2"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/fleet\/clusters\/client-b-dev$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('client-b-dev');
  await expect(page.getByRole('region', { name: 'Labels' })).toContainText('client-b');
  // Health panels: the brief's nine, each with its number as text and its chart described.
  const health = page.getByRole('region', { name: 'Health' });
  await expect(health.locator('figure')).toHaveCount(9);
  await expect(health.getByRole('img', { name: /Nodes ready over 6h: now 100%/ })).toBeVisible();
  await health.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '24h' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(health.getByRole('img', { name: /CPU over 24h/ })).toBeVisible();
  await expectAccessible(page, 'cluster page');
  // Another tenant's cluster is simply not there.
  await page.goto('/fleet/clusters/prod-us-east');
  await expect(page.getByRole('alert')).toContainText('no cluster "prod-us-east" that you may see');
});

test('the page says it is live', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await expect(page.getByTestId('live-state')).toHaveText('Live');
});

// Rollouts, Health and Violations are real pages with their own specs (rollouts.spec.ts, health.spec.ts, violations.spec.ts).
test('other sections say plainly that they are not connected yet', async ({ page }) => {
  await signInAs(page, 'client-a-admin@demo');
  for (const name of ['Logs']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    await expectAccessible(page, `${name} page`);
  }
});

test('sign-in page lists the personas; sign-out returns to it', async ({ page }) => {
  await page.goto('/fleet');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('list', { name: 'Demo personas' }).getByRole('link')).toHaveCount(DEMO_USERS.length);
  await expectAccessible(page, 'sign-in page');
  await signInAs(page, 'client-b-viewer@demo');
  await page.getByTestId('current-user').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/fleet');
  await expect(page).toHaveURL(/\/login/);
});

test('dark mode follows the choice and passes contrast checks', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, 'Fleet page, dark');
});

test('README screenshot of the Fleet page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAs(page, 'platform-admin@demo');
  await expect(page.getByTestId('cluster-row')).toHaveCount(20);
  await page.screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/fleet.png', import.meta.url)), fullPage: false });
});
