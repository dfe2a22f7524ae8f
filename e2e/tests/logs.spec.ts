import { expect, test } from '@playwright/test';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// The Logs page on the demo fleet: its in-memory log source has streams per cluster,
// namespace and pod, and a live trickle of new lines.

test.describe.configure({ timeout: 120_000 });

test('the Logs page shows the demo fleet’s lines and live tail adds new ones', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await page.goto(`/logs?${new URLSearchParams({ query: '{cluster="prod-us-east"}' })}`);
  const lines = page.getByTestId('log-lines').getByTestId('log-line');
  await expect(lines.first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('textbox', { name: 'LogQL query' })).toHaveValue('{cluster="prod-us-east"}');
  await expectAccessible(page, 'Logs page');

  const liveTail = page.getByRole('button', { name: 'Live tail' });
  await expect(liveTail).toHaveAttribute('aria-pressed', 'false');
  await liveTail.click();
  await expect(liveTail).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/[?&]live=1/);
  // The demo's trickle reaches the page through the tail and is marked new.
  await expect(page.getByTestId('log-line').and(page.locator('[data-new="true"]')).first()).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, 'Logs page with live tail');
});

test('a query that matches nothing shows the empty state', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await page.goto('/logs');
  const box = page.getByRole('textbox', { name: 'LogQL query' });
  await box.fill('{cluster="prod-us-east"} |= "no demo line ever says this"');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page).toHaveURL(/no\+demo\+line|no%20demo%20line/);
  await expect(page.getByText(/no (log )?lines|no logs|nothing match/i).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('log-line')).toHaveCount(0);
  await expectAccessible(page, 'Logs page, empty result');
});
