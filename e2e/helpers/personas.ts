import { expect, type Page } from '@playwright/test';

import { DEMO_USERS } from '@fleetdeck/shared';

/** Signs in through the persona picker, as a person would. */
export async function signInAs(page: Page, user: string): Promise<void> {
  const persona = DEMO_USERS.find((u) => u.user === user);
  if (!persona) throw new Error(`no demo persona ${user}`);
  await page.goto('/login');
  await page.getByRole('link', { name: new RegExp(persona.displayName.replace(/[()]/g, '\\$&')) }).click();
  await expect(page).toHaveURL(/\/fleet/);
  await expect(page.getByTestId('current-user')).toHaveText(persona.displayName);
}
