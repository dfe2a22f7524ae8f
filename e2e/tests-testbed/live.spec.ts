import { readFileSync } from 'node:fs';

import { expect, test, type Page } from '@playwright/test';

import type { TestbedEnv } from '@fleetdeck/testbed';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { expectAccessible } from '../helpers/a11y.ts';
import { TESTBED_ENV_FILE } from '../testbed-setup.ts';

const env = () => JSON.parse(readFileSync(TESTBED_ENV_FILE, 'utf8')) as TestbedEnv;

async function signInWithSso(page: Page, user: string) {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  // The testbed identity provider's own form.
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill('testbed');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/fleet/);
}

test('a Tenant Admin signs in through SSO and sees only their production clusters with env=production', async ({ page }) => {
  await signInWithSso(page, 'client-a-admin@demo');
  await page.getByRole('searchbox', { name: 'Cluster selector' }).fill('env=production');
  await expect(page.getByTestId('cluster-row')).toHaveCount(14);
  for (const row of await page.getByTestId('cluster-row').all()) await expect(row).toHaveAttribute('data-tenant', 'client-a');
  await expect(page.locator('[data-cluster="prod-us-east"]')).toContainText('API up');
  // Its cluster page draws the health panels from the seeded Prometheus history.
  await page.goto('/fleet/clusters/prod-us-east');
  // Cold (nothing cached yet): seconds on a busy 2-core machine, see the health bench.
  await expect(page.getByRole('region', { name: 'Health' }).getByRole('img', { name: /Nodes ready over 6h: now 100%/ })).toBeVisible({
    timeout: 15_000,
  });
  await page.goto('/fleet?selector=env%3Dproduction');
  await expectAccessible(page, 'Fleet page on the testbed');
});

test('a label changed on the hub shows up on an open page without reload', async ({ page }) => {
  await signInWithSso(page, 'platform-admin@demo');
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  const row = page.locator('[data-cluster="prod-asia"]');
  await expect(row).toContainText('ap-southeast');
  const region = `ap-east-${Date.now() % 1000}`;
  await kubeClient(env(), env().hub, 'admin').expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-asia', {
    body: { metadata: { labels: { region } } },
    contentType: 'application/merge-patch+json',
  });
  await expect(row).toContainText(region, { timeout: 5000 });
  // And a selector on the new label finds it, still without a reload.
  await page.getByRole('searchbox', { name: 'Cluster selector' }).fill(`region=${region}`);
  await expect(page.getByTestId('cluster-row')).toHaveCount(1);
});

test("a Developer's cluster page shows only their namespaces, read from the spoke as them", async ({ page }) => {
  await signInWithSso(page, 'client-a-dev@demo');
  await page.goto('/fleet/clusters/client-a-staging');
  const workloads = page.getByRole('region', { name: 'Workloads' });
  await expect(workloads.getByRole('rowheader')).toHaveText(['client-a-apps', 'client-a-jobs']);
  const violations = page.getByRole('region', { name: 'Policy violations' });
  // Findings of both engines on resources in their namespaces (the BFF watches the spoke and cuts per person;
  // the Developer-scope negatives are in violations.spec.ts and the violations integration tests).
  await expect(violations).toContainText('require-requests-limits');
  await expect(violations).toContainText('K8sRequiredLabels');
  await expectAccessible(page, 'cluster page on the testbed');
});
