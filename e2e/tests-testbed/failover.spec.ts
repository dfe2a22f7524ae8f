import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import type { TestbedEnv } from '@fleetdeck/testbed';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { TESTBED_ENV_FILE, TESTBED_REPLICAS_FILE } from '../testbed-setup.ts';

const env = () => JSON.parse(readFileSync(TESTBED_ENV_FILE, 'utf8')) as TestbedEnv;
const replicas = () => JSON.parse(readFileSync(TESTBED_REPLICAS_FILE, 'utf8')) as { pids: number[]; ports: number[] };

// Two real-mode replicas behind one address (testbed-setup.ts); this journey kills the one
// serving the page, so it runs before the others (files run in name order) and they use the survivor.
test('a replica killed mid-stream: the page reconnects to the other replica and stays live, signed in', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.getByLabel('User').fill('platform-admin@demo');
  await page.getByLabel('Password').fill('testbed');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/fleet/);
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await page.evaluate(() => Object.assign(window, { fleetdeckNoReload: true }));

  // The first replica (the one the balancer sends every connection to while it lives) dies at once.
  const first = replicas().pids[0]!;
  process.kill(first, 'SIGKILL');
  await expect
    .poll(() =>
      fetch(`http://127.0.0.1:${replicas().ports[0]}/readyz`).then(
        () => 'up',
        () => 'down',
      ),
    )
    .toBe('down');

  // The stream reconnects through the balancer to the survivor, which reads the same sealed session.
  await expect(page.getByTestId('live-state')).toHaveText('Live', { timeout: 20_000 });
  const row = page.locator('[data-cluster="prod-eu-west"]');
  const region = `eu-failover-${Date.now() % 1000}`;
  await kubeClient(env(), env().hub, 'admin').expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-eu-west', {
    body: { metadata: { labels: { region } } },
    contentType: 'application/merge-patch+json',
  });
  await expect(row).toContainText(region, { timeout: 10_000 });
  expect(await page.evaluate(() => (window as { fleetdeckNoReload?: boolean }).fleetdeckNoReload)).toBe(true);
});
