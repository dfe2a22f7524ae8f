// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { BulkSyncResult } from '@fleetdeck/shared';

import { FakeEventSource, fakeBff, ME, problem, renderApp, type Answer } from '../../rollouts-harness.tsx';
import { argoApp, fleetRepo, list, OPERATOR, preview, RENDERED } from './deliveries-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
// The app and the router load in each test: slow on a shared machine.
vi.setConfig({ testTimeout: 20_000 });

const FLEET_TREE = { tenants: [], clusters: [], errors: [] };
const ROWS = [{ delivery: fleetRepo() }, { delivery: argoApp() }];

async function open(path = '/deliveries', extra: Record<string, Answer> = {}, me: unknown = OPERATOR) {
  const bff = fakeBff({ '/api/me': { body: me }, '/api/fleet': { body: FLEET_TREE }, '/api/deliveries': { body: list(ROWS) }, ...extra });
  const app = await renderApp(path);
  await screen.findByRole('heading', { level: 1, name: 'Deliveries' });
  return { ...bff, ...app };
}
const search = (app: { router: { state: { location: { search: unknown } } } }) =>
  app.router.state.location.search as Record<string, unknown>;
const listCalls = (calls: { url: URL }[]) => calls.filter((c) => c.url.pathname === '/api/deliveries');
const posts = (calls: { url: URL; init: RequestInit | undefined }[]) => calls.filter((c) => c.init?.method === 'POST');

describe('Deliveries page: the list', () => {
  it('shows each delivery with engine, tenant, repo and branch, short commit (full on hover), state, ready count and git job', async () => {
    await open();
    const row = (await screen.findAllByTestId('delivery-row')).find((r) => r.dataset.delivery === 'fleet:fleet-default/core-stack')!;
    const text = row.textContent;
    for (const s of [
      'core-stack',
      'Rancher Fleet',
      'tenant client-a',
      'https://github.com/yourorg/fleet-repo',
      'branch main',
      'Modified',
      '2/3',
      'git job Current',
      '1 Modified, 2 Ready',
    ]) {
      expect(text).toContain(s);
    }
    const commit = within(row).getByText('0123456');
    expect(commit.getAttribute('title')).toBe(RENDERED);
    expect(within(row).getByTestId('delivery-status').dataset.tone).toBe('warning');
    const argo = screen.getAllByTestId('delivery-row').find((r) => r.dataset.delivery?.startsWith('argocd:'))!;
    expect(argo.textContent).toContain('Argo CD');
    expect(argo.textContent).toContain('sync Succeeded');
  });

  it('sends the URL filters, grouping and sort to the API and drops values that do not parse', async () => {
    const { calls } = await open('/deliveries?env=production&engine=bogus&tone=warning&group=tenant&sort=name&labels=team%3Dweb');
    await screen.findAllByTestId('delivery-row');
    expect(Object.fromEntries(listCalls(calls)[0]!.url.searchParams)).toEqual({
      env: 'production',
      tone: 'warning',
      labels: 'team=web',
      group: 'tenant',
      sort: 'name',
      limit: '100',
    });
  });

  it('puts each filter change in the URL as a history entry, so Back returns to the previous view', async () => {
    const app = await open();
    await screen.findAllByTestId('delivery-row');
    fireEvent.change(screen.getByRole('combobox', { name: 'Engine' }), { target: { value: 'argocd' } });
    await waitFor(() => expect(search(app)).toEqual({ engine: 'argocd' }));
    act(() => app.router.history.back());
    await waitFor(() => expect(search(app)).toEqual({}));
  });

  it('groups rows under a heading per group, in the server’s order', async () => {
    await open('/deliveries?group=tenant', {
      '/api/deliveries': {
        body: list([
          { group: 'client-a', delivery: fleetRepo() },
          { group: 'client-a', delivery: argoApp() },
          { group: 'client-b', delivery: fleetRepo({ id: 'fleet:fleet-default/b-apps', name: 'b-apps', tenant: 'client-b' }) },
        ]),
      },
    });
    await screen.findAllByTestId('delivery-row');
    expect(screen.getAllByTestId('delivery-group').map((g) => g.textContent)).toEqual(['client-a (2 loaded)', 'client-b (1 loaded)']);
    expect(screen.getByRole('button', { name: 'Tenant', pressed: true })).toBeTruthy();
  });

  it('shows tone chips with counts; pressing one filters to it in the URL, pressing it again clears it', async () => {
    const app = await open('/deliveries', { '/api/deliveries': { body: list(ROWS, { byTone: { warning: 7, ok: 12 } }) } });
    const chip = await screen.findByRole('button', { name: /Out of sync 7/ });
    expect(screen.getByRole('button', { name: /Healthy 12/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Failing/ })).toBeNull();
    fireEvent.click(chip);
    await waitFor(() => expect(search(app)).toEqual({ tone: 'warning' }));
    fireEvent.click(await screen.findByRole('button', { name: /Out of sync 7/, pressed: true }));
    await waitFor(() => expect(search(app)).toEqual({}));
  });

  it('loads the next page with the cursor and says how many of how many are shown', async () => {
    const { calls } = await open('/deliveries', {
      '/api/deliveries': (url) =>
        url.searchParams.get('cursor') === 'c2'
          ? { body: list([{ delivery: argoApp() }], { total: 2 }) }
          : { body: list([{ delivery: fleetRepo() }], { total: 2, nextCursor: 'c2' }) },
    });
    await screen.findAllByTestId('delivery-row');
    expect(screen.getByTestId('deliveries-total').textContent).toBe('1 of 2 shown');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('delivery-row')).toHaveLength(2));
    expect(listCalls(calls).at(-1)!.url.searchParams.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('names a source that did not answer, and shows the rest', async () => {
    await open('/deliveries', {
      '/api/deliveries': { body: list(ROWS, { errors: [{ source: 'argocd', reason: 'the hub did not answer' }] }) },
    });
    await screen.findAllByTestId('delivery-row');
    expect(screen.getByRole('status', { name: '' }).textContent).toContain('Partly unavailable: argocd: the hub did not answer');
  });

  it('shows the problem’s detail when the list fails, and an empty state that says why', async () => {
    await open('/deliveries', { '/api/deliveries': { status: 400, body: problem(400, 'labels: a requirement is malformed') } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('labels: a requirement is malformed');
    cleanup();
    await open('/deliveries?env=production', { '/api/deliveries': { body: list([]) } });
    expect((await screen.findByText('No GitRepo or Application matches these filters')).textContent).toBeTruthy();
  });

  it('moves between rows with the arrow keys and opens one with Enter (its id encoded as one path segment)', async () => {
    const app = await open();
    const rows = await screen.findAllByTestId('delivery-row');
    expect(rows[0]!.tabIndex).toBe(0);
    expect(rows[1]!.tabIndex).toBe(-1);
    act(() => rows[0]!.focus());
    fireEvent.keyDown(rows[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]);
    fireEvent.keyDown(rows[1]!, { key: 'Enter' });
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/deliveries/argocd%3Aargocd%2Fstorefront-prod-us-east'));
  });

  it('refetches the list when a delivery event arrives, keeping the rows on screen', async () => {
    let label = 'Modified';
    const { calls } = await open('/deliveries', {
      '/api/deliveries': () => ({
        body: list([{ delivery: fleetRepo({ status: { label, tone: label === 'Ready' ? 'ok' : 'warning', rank: 1 } }) }]),
      }),
    });
    await screen.findAllByTestId('delivery-row');
    const before = listCalls(calls).length;
    label = 'Ready';
    act(() => FakeEventSource.last!.emit('delivery', { ids: ['fleet:fleet-default/core-stack'] }));
    await waitFor(() => expect(screen.getByTestId('delivery-status').textContent).toBe('Ready'));
    expect(listCalls(calls).length).toBe(before + 1);
  });
});

describe('Deliveries page: sync by labels', () => {
  it('is offered only to people who may operate', async () => {
    await open('/deliveries', {}, ME);
    await screen.findAllByTestId('delivery-row');
    expect(screen.queryByRole('button', { name: 'Sync by labels…' })).toBeNull();
  });

  it('previews what would be synced and skipped, syncs only the previewed ones with the CSRF token, and shows each result', async () => {
    const { calls } = await open('/deliveries?labels=env%3Dproduction', {
      '/api/deliveries/sync-preview': { body: preview() },
      '/api/deliveries/bulk-sync': {
        body: BulkSyncResult.parse({
          results: [
            { id: 'argocd:argocd/storefront-prod-us-east', outcome: 'done', message: 'sync to main asked' },
            { id: 'argocd:argocd/api-prod-us-east', outcome: 'failed', message: 'a sync is already running' },
          ],
        }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync by labels…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sync Argo CD applications by labels' });
    const input = within(dialog).getByRole<HTMLInputElement>('textbox', { name: /Application labels/ });
    expect(input.value).toBe('env=production');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByTestId('sync-preview');
    const previewCall = calls.find((c) => c.url.pathname === '/api/deliveries/sync-preview')!;
    expect(previewCall.url.searchParams.get('labels')).toBe('env=production');
    expect(within(dialog).getByRole('list', { name: 'Will be synced' }).textContent).toContain('storefront-prod-us-east → prod-us-east');
    expect(within(dialog).getByRole('list', { name: 'Skipped' }).textContent).toBe(
      'api-prod-us-west → prod-us-west: A sync is already running.',
    );
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Prune/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sync 2 applications' }));
    const results = await within(dialog).findByTestId('bulk-sync-results');
    expect(results.textContent).toContain('1 of 2 synced.');
    expect(results.textContent).toContain('a sync is already running');
    const [post] = posts(calls);
    expect(post!.url.pathname).toBe('/api/deliveries/bulk-sync');
    expect(new Headers(post!.init!.headers).get('x-csrf-token')).toBe('csrf-123');
    expect(JSON.parse(post!.init!.body as string)).toEqual({
      labels: 'env=production',
      ids: ['argocd:argocd/storefront-prod-us-east', 'argocd:argocd/api-prod-us-east'],
      prune: true,
    });
  });

  it('shows the problem when the selector is refused', async () => {
    await open('/deliveries', {
      '/api/deliveries/sync-preview': { status: 400, body: problem(400, 'labels: "env==" is not a label requirement') },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync by labels…' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Application labels/ }), { target: { value: 'env==' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('"env==" is not a label requirement');
    expect(within(dialog).queryByRole('button', { name: /^Sync \d/ })).toBeNull();
  });
});
