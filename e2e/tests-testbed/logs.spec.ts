import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import type { TestbedEnv } from '@fleetdeck/testbed';

import { expectAccessible } from '../helpers/a11y.ts';
import { line, pushLines } from '../helpers/loki.ts';
import { signInWithSso } from '../helpers/sso.ts';
import { TESTBED_ENV_FILE } from '../testbed-setup.ts';

const env = () => JSON.parse(readFileSync(TESTBED_ENV_FILE, 'utf8')) as TestbedEnv;

// The Developer of client-a reads namespaces client-a-* of client-a's dev and staging
// clusters (client-a-staging on the testbed), nothing else.
test("a Developer's live tail shows a line pushed to their namespace, and never the lines pushed beside it that they may not read", async ({
  page,
}) => {
  const loki = env().loki.url;
  const run = `e2e-${Date.now().toString(36)}`;
  // A query every stream of the test carries: only the BFF's enforcement can keep the others out.
  const query = `{source="${run}"}`;
  await pushLines(loki, [line(run, 'client-a-staging', 'client-a-apps', `before the page opened ${run}`)]);

  await signInWithSso(page, 'client-a-dev@demo');
  await page.goto(`/logs?${new URLSearchParams({ query, live: '1' })}`);
  const lines = page.getByTestId('log-lines').getByTestId('log-line');
  await expect(lines.filter({ hasText: `before the page opened ${run}` })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Live tail' })).toHaveAttribute('aria-pressed', 'true');
  // The tail is open (the BFF said `ready`): what is pushed from here on can only arrive live.
  await expect(page.getByTestId('tail-state')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  // The part the BFF adds to every selector is shown, and it is theirs.
  await expect(page.getByTestId('logs-enforced')).toContainText('client-a');

  const own = `own line ${run}`;
  const foreign = [
    line(run, 'prod-eu-west', 'client-b-apps', `client-b's line ${run}`), // another tenant's namespace and cluster
    line(run, 'client-a-staging', 'client-b-apps', `client-b namespace on their cluster ${run}`), // a namespace not theirs
    line(run, 'prod-us-east', 'client-a-apps', `client-a production ${run}`), // their namespace name, a production cluster
  ];
  // All at the same time, in one push: theirs last, so the others reach the tail first.
  await pushLines(loki, [...foreign, line(run, 'client-a-staging', 'client-a-apps', own)]);
  const ownLine = lines.filter({ hasText: own });
  await expect(ownLine).toBeVisible({ timeout: 10_000 });
  // It came in live (the page marks tailed lines new), not from a reload.
  await expect(ownLine).toHaveAttribute('data-new', 'true');

  // A later line of theirs: once it shows, anything pushed before it would have arrived.
  await pushLines(loki, [line(run, 'client-a-staging', 'client-a-apps', `barrier ${run}`)]);
  await expect(lines.filter({ hasText: `barrier ${run}` })).toBeVisible({ timeout: 10_000 });
  for (const f of foreign) await expect(page.locator('body')).not.toContainText(f.values[0]![1]);
  await expect(lines).toHaveCount(3);

  await expectAccessible(page, 'Logs page with live tail on the testbed');
});
