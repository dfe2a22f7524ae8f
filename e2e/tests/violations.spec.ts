import { readFile } from 'node:fs/promises';

import { expect, test, type Download, type Page } from '@playwright/test';

import { VIOLATION_CSV_COLUMNS } from '@fleetdeck/shared';

import { expectAccessible } from '../helpers/a11y.ts';
import { signInAs } from '../helpers/personas.ts';

// The demo fleet's violations (both engines, all three tenants) change over time, so these
// journeys compare the page with itself (before and after a filter) and with the CSV of
// the same filters, never with fixed numbers.

test.describe.configure({ timeout: 120_000 });

async function openViolations(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Violations' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Violations');
  await expect(page.getByTestId('violations-total')).toBeVisible();
}

/** "12 of 143 shown" → 143. */
async function total(page: Page): Promise<number> {
  const text = (await page.getByTestId('violations-total').textContent()) ?? '';
  const m = /of ([\d,]+) shown/.exec(text);
  if (!m) throw new Error(`no total in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
}

/** RFC 4180 fields (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

async function downloadCsv(page: Page): Promise<string[][]> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const path = await download.path();
  return parseCsv(await readFile(path, 'utf8'));
}

const column = (rows: string[][], name: (typeof VIOLATION_CSV_COLUMNS)[number]) =>
  rows.slice(1).map((r) => r[VIOLATION_CSV_COLUMNS.indexOf(name)]);

test('a Platform Admin filters by severity, groups by policy, opens a resource and exports what is shown', async ({ page }) => {
  await signInAs(page, 'platform-admin@demo');
  await openViolations(page);
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await expect(page.getByRole('region', { name: 'Policies × clusters' }).getByRole('button').first()).toBeVisible();
  await expectAccessible(page, 'Violations page');
  const all = await total(page);
  expect(all).toBeGreaterThan(0);

  // Filter to a severity that holds some but not all of them (the breakdown says which).
  const severities = await page
    .getByRole('region', { name: 'By severity and engine' })
    .getByRole('region', { name: 'By severity', exact: true })
    .locator('dl > div')
    .evaluateAll((divs) =>
      divs.map(
        (d) => [d.querySelector('dt')?.textContent ?? '', Number((d.querySelector('dd')?.textContent ?? '').replace(/,/g, ''))] as const,
      ),
    );
  const pick = severities.find(([, n]) => n > 0 && n < all);
  expect(pick, `a severity with some of the ${all} violations: ${JSON.stringify(severities)}`).toBeDefined();
  const [severity] = pick!;
  await page.getByRole('combobox', { name: 'Severity' }).selectOption(severity);
  await expect(page).toHaveURL(new RegExp(`severity=${severity}`));
  // The list shrinks (polled: the demo's live changes may move a count meanwhile).
  await expect.poll(() => total(page)).toBeLessThan(all);
  await expect.poll(() => total(page)).toBeGreaterThan(0);
  const rows = page.getByTestId('violation-rows').locator('tbody tr[data-row]');
  await expect(rows.first()).toBeVisible();
  for (const badge of await rows.locator('td:nth-child(2)').allTextContents()) expect(badge).toBe(severity);

  // Group by policy: each row sits under its policy's heading.
  await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Policy' }).click();
  await expect(page).toHaveURL(/group=policy/);
  const order = await page
    .getByTestId('violation-rows')
    .locator('tbody tr:not([aria-hidden])')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        tr.querySelector('th[scope="colgroup"]') ? `G:${tr.textContent}` : `R:${tr.querySelector('td:nth-child(3)')!.textContent}`,
      ),
    );
  let group = '';
  for (const entry of order) {
    if (entry.startsWith('G:')) group = entry.slice(2).replace(/ \(\d+ loaded\)$/, '');
    else expect(entry.slice(2)).toBe(group);
  }

  // Open a resource: its details beside the list.
  const first = rows.first().getByRole('button');
  await first.click();
  const detail = page.getByRole('complementary');
  await expect(detail).toBeVisible();
  await expect(detail).toContainText('Message');
  await expect(detail).toContainText('First seen');
  await expect(detail).toContainText('Last seen');
  await expect(detail).toContainText(severity);
  await expectAccessible(page, 'Violations page with a resource open');

  // Export: the header first, then only rows of that severity.
  const csv = await downloadCsv(page);
  expect(csv[0]).toEqual([...VIOLATION_CSV_COLUMNS]);
  expect(csv.length).toBeGreaterThan(1);
  expect(new Set(column(csv, 'severity'))).toEqual(new Set([severity]));
});

test('a Developer sees only violations in their own namespaces, on the page and in the CSV', async ({ page }) => {
  await signInAs(page, 'client-a-dev@demo');
  await openViolations(page);
  const cells = page.getByTestId('violation-rows').locator('tbody tr[data-row] td:first-child');
  // The demo gives client-a's developers findings of their own (else the checks below would prove nothing).
  await expect(cells.first()).toBeVisible();
  const resources = await cells.allTextContents();
  // "Kind namespace/name": a cluster-scoped resource would have no namespace.
  for (const r of resources) expect(r).toMatch(/^\S+ client-a-[^/]+\/\S+$/);
  const csv = await downloadCsv(page);
  expect(csv[0]).toEqual([...VIOLATION_CSV_COLUMNS]);
  expect(csv.length).toBeGreaterThan(1);
  for (const ns of column(csv, 'namespace')) expect(ns).toMatch(/^client-a-/);
  for (const tenant of column(csv, 'tenant')) expect(tenant).toBe('client-a');
  await expectAccessible(page, 'Violations page (Developer)');
});
