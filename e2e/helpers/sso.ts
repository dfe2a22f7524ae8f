import { expect, type Page } from '@playwright/test';

/** Signs in through the testbed's identity provider, its own login form, as a person would. */
export async function signInWithSso(page: Page, user: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill('testbed');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/fleet/);
}
