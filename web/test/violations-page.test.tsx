// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeEventSource, fakeBff, ME, problem, renderApp, streamReady, type Answer } from './rollouts-harness.tsx';
import { coverage, list, summary, trends } from './violations-fixtures.ts';

beforeEach(() => {
  // happy-dom lays nothing out: give the virtualised table and the chart a size.
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ width: 800, height: 600 }));
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
});
// The app, the router and the chart load in each test: slow on a shared machine.
vi.setConfig({ testTimeout: 20_000 });
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const ANSWERS: Record<string, Answer> = {
  '/api/me': { body: ME },
  '/api/violations': { body: list() },
  '/api/violations/summary': { body: summary() },
  '/api/violations/coverage': { body: coverage() },
  '/api/violations/trends': { body: trends() },
};

async function open(path = '/violations', extra: Record<string, Answer> = {}) {
  const bff = fakeBff({ ...ANSWERS, ...extra });
  const app = await renderApp(path);
  await screen.findByRole('heading', { level: 1, name: 'Violations' });
  return { ...bff, ...app };
}
const search = (app: { router: { state: { location: { search: unknown } } } }) =>
  app.router.state.location.search as Record<string, unknown>;
const heatCell = (name: string) => screen.findByRole('button', { name });

describe('Violations page: heat map', () => {
  it('shows every cell with its number and an accessible name, and a text legend', async () => {
    await open();
    const cell = await heatCell('K8sRequiredLabels/must-have-owner on prod-us-east: 12 violations');
    expect(cell.textContent).toBe('12');
    expect(screen.getByRole('button', { name: 'K8sRequiredLabels/must-have-owner on stage-eu: 0 violations' }).textContent).toBe('0');
    expect(screen.getByRole('button', { name: 'disallow-latest-tag on stage-eu: 3 violations' }).textContent).toBe('3');
    const legend = within(screen.getByRole('list', { name: 'Colour scale' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(legend).toEqual(['0', '1–3', '4–6', '7–9', '10–12']);
  });

  it('moves with the arrow keys and filters to the cell on Enter (in the URL)', async () => {
    const app = await open();
    const first = await heatCell('K8sRequiredLabels/must-have-owner on prod-us-east: 12 violations');
    expect(first.tabIndex).toBe(0);
    act(() => first.focus());
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    const below = screen.getByRole('button', { name: 'disallow-latest-tag on prod-us-east: 0 violations' });
    expect(document.activeElement).toBe(below);
    fireEvent.keyDown(below, { key: 'ArrowRight' });
    const target = screen.getByRole('button', { name: 'disallow-latest-tag on stage-eu: 3 violations' });
    expect(document.activeElement).toBe(target);
    expect(target.tabIndex).toBe(0);
    expect(first.tabIndex).toBe(-1);
    fireEvent.keyDown(target, { key: 'Enter' });
    await waitFor(() => expect(search(app)).toMatchObject({ policy: 'disallow-latest-tag', cluster: 'stage-eu' }));
  });
});

describe('Violations page: URL filters', () => {
  it('sends the URL filters to every call, drops bad values, and the CSV link carries the same filters', async () => {
    const { calls } = await open('/violations?severity=high&cluster=prod-us-east&engine=bogus&q=owner');
    await screen.findByRole('button', { name: /Deployment client-a-shop\/web/ });
    const summaryCall = calls.find((c) => c.url.pathname === '/api/violations/summary')!;
    expect(Object.fromEntries(summaryCall.url.searchParams)).toEqual({ severity: 'high', cluster: 'prod-us-east', q: 'owner' });
    const listCall = calls.find((c) => c.url.pathname === '/api/violations')!;
    expect(Object.fromEntries(listCall.url.searchParams)).toEqual({ severity: 'high', cluster: 'prod-us-east', q: 'owner', limit: '100' });
    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')!, 'http://localhost');
    expect(csv.pathname).toBe('/api/violations/export.csv');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ severity: 'high', cluster: 'prod-us-east', q: 'owner' });
  });

  it('changes the severity filter in the URL from the filter bar', async () => {
    const app = await open();
    fireEvent.change(await screen.findByRole('combobox', { name: 'Severity' }), { target: { value: 'critical' } });
    await waitFor(() => expect(search(app)).toMatchObject({ severity: 'critical' }));
  });
});

describe('Violations page: the list', () => {
  it('groups by policy, then by cluster when switched (in the URL)', async () => {
    const app = await open();
    const table = await screen.findByTestId('violation-rows');
    const groups = () =>
      within(table)
        .getAllByRole('columnheader')
        .filter((h) => h.getAttribute('scope') === 'colgroup')
        .map((h) => h.textContent);
    expect(groups()).toEqual(['K8sRequiredLabels/must-have-owner (2 loaded)', 'disallow-latest-tag (1 loaded)']);
    fireEvent.click(screen.getByRole('button', { name: 'Cluster', pressed: false }));
    await waitFor(() => expect(groups()).toEqual(['prod-us-east (2 loaded)', 'stage-eu (1 loaded)']));
    expect(search(app)).toMatchObject({ group: 'cluster' });
    expect(screen.getByTestId('violations-total').textContent).toBe('3 of 3 shown');
  });

  it('opens a resource’s details beside the list, and closes them', async () => {
    await open();
    const row = await screen.findByRole('button', { name: 'Pod client-a-shop/cart-7d9' });
    fireEvent.click(row);
    const panel = await screen.findByRole('complementary', { name: 'Pod cart-7d9' });
    expect(row.getAttribute('aria-expanded')).toBe('true');
    const text = panel.textContent;
    for (const s of [
      'Kyverno',
      'disallow-latest-tag',
      'validate-image-tag',
      'audit',
      'fail',
      'client-a-shop',
      'Using a mutable image tag',
    ]) {
      expect(text).toContain(s);
    }
    expect(
      within(panel)
        .getAllByRole('time')
        .map((t) => t.getAttribute('dateTime')),
    ).toEqual(['2026-11-25T10:00:00Z', '2026-11-25T12:00:00Z']);
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Pod cart-7d9' }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('complementary', { name: 'Pod cart-7d9' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Pod client-a-shop/cart-7d9' })));
  });

  it('loads the next page by cursor and counts against the total', async () => {
    const page2 = list([], { total: 4 });
    page2.items = [{ ...list().items[0]!, id: 'v4', resource: { kind: 'Job', namespace: 'client-a-shop', name: 'cron' } }];
    await open('/violations', {
      '/api/violations': (url) => ({
        body: url.searchParams.get('cursor') === 'c2' ? page2 : list(undefined, { total: 4, nextCursor: 'c2' }),
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await screen.findByRole('button', { name: 'Job client-a-shop/cron' });
    expect(screen.getByTestId('violations-total').textContent).toBe('4 of 4 shown');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});

describe('Violations page: completeness and failures', () => {
  it('says when a Gatekeeper list is cut and which clusters are stale or counts only', async () => {
    await open();
    expect((await screen.findByTestId('truncation')).textContent).toBe(
      'K8sRequiredLabels/must-have-owner on prod-us-east: 20 of 143 shown — Gatekeeper keeps only the first 20',
    );
    const feeds = screen.getAllByTestId('feed-note').map((n) => n.textContent);
    expect(feeds[0]).toMatch(/^stage-eu: stale since .+ — last known violations shown \(connection refused\)$/);
    expect(feeds[1]).toMatch(/^edge-01: counts only/);
  });

  it('keeps the rest of the page when the trends call fails, and says so on the trend panel only', async () => {
    await open('/violations', { '/api/violations/trends': { status: 502, body: problem(502, 'prometheus unreachable') } });
    const trend = screen.getByRole('region', { name: 'Trend' });
    // A 502 is retried (three times, with backoff) before the panel says so.
    expect((await within(trend).findByRole('alert', {}, { timeout: 15_000 })).textContent).toContain('prometheus unreachable');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    await heatCell('K8sRequiredLabels/must-have-owner on prod-us-east: 12 violations');
    expect(screen.getByRole('region', { name: 'Tenant isolation' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Deployment client-a-shop/web' })).toBeTruthy();
  });

  it('shows trend warnings on the trend panel', async () => {
    await open('/violations', { '/api/violations/trends': { body: trends({ warnings: ['1 cluster sends no Policy Reporter metrics'] }) } });
    const trend = screen.getByRole('region', { name: 'Trend' });
    expect((await within(trend).findByTestId('trend-warnings')).textContent).toBe('1 cluster sends no Policy Reporter metrics');
    expect(
      within(trend).getByRole('img', { name: /^Violations over the last 24h: gatekeeper deny 12, kyverno fail medium 3$/ }),
    ).toBeTruthy();
    expect(trend.textContent).not.toContain('Partly unavailable');
  });
});

describe('Violations page: live', () => {
  it('refetches the summary, list and coverage on a violation event, keeping the numbers on screen', async () => {
    let total = 15;
    const { calls } = await open('/violations', { '/api/violations/summary': () => ({ body: summary({ total }) }) });
    await screen.findByText('15 violations you may see');
    streamReady();
    const count = (p: string) => calls.filter((c) => c.url.pathname === p).length;
    const before = { s: count('/api/violations/summary'), l: count('/api/violations'), c: count('/api/violations/coverage') };
    total = 16;
    act(() => FakeEventSource.last?.emit('violation', { clusters: ['prod-us-east'] }));
    expect(screen.getByText('15 violations you may see')).toBeTruthy();
    await screen.findByText('16 violations you may see', {}, { timeout: 3000 });
    expect(count('/api/violations/summary')).toBe(before.s + 1);
    expect(count('/api/violations')).toBe(before.l + 1);
    expect(count('/api/violations/coverage')).toBe(before.c + 1);
  });
});
