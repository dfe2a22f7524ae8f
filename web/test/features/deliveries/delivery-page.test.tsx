// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { DeliveryDetail } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { FakeEventSource, fakeBff, problem, renderApp, type Answer } from '../../rollouts-harness.tsx';
import { argoDetail, clusterDeliveries, fleetDetail, OLD, OPERATOR } from './deliveries-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
vi.setConfig({ testTimeout: 20_000 });

const api = (id: string) => `/api/deliveries/${encodeURIComponent(id)}`;
const page = (id: string) => `/deliveries/${encodeURIComponent(id)}`;

async function open(d: DeliveryDetail, extra: Record<string, Answer> = {}) {
  const bff = fakeBff({ '/api/me': { body: OPERATOR }, [api(d.id)]: { body: { delivery: d, errors: [] } }, ...extra });
  const app = await renderApp(page(d.id));
  await screen.findByRole('heading', { level: 1, name: d.name });
  return { ...bff, ...app };
}
const posts = (calls: { url: URL; init: RequestInit | undefined }[]) => calls.filter((c) => c.init?.method === 'POST');
const bodyOf = (call: { init: RequestInit | undefined } | undefined): unknown => JSON.parse(call?.init?.body as string);

describe('Delivery page: a Fleet GitRepo', () => {
  it('reads the id from the path and shows the header: state, repo, branch, rendered commit, ready count', async () => {
    const { calls } = await open(fleetDetail());
    expect(calls.some((c) => c.url.pathname === '/api/deliveries/fleet%3Afleet-default%2Fcore-stack')).toBe(true);
    expect(screen.getByTestId('delivery-state').textContent).toBe('Modified');
    const text = document.querySelector('dl')!.textContent;
    for (const s of [
      'Rancher Fleet GitRepo',
      'fleet-default',
      'https://github.com/yourorg/fleet-repo',
      'main',
      '0123456',
      '2/3',
      'git job Current',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('shows each cluster with its applied commit, marks the ones behind, and opens their resources', async () => {
    await open(fleetDetail());
    const east = screen.getAllByTestId('delivery-target').find((r) => r.dataset.cluster === 'prod-us-east')!;
    const staging = screen.getAllByTestId('delivery-target').find((r) => r.dataset.cluster === 'staging')!;
    expect(within(east).getByText(OLD.slice(0, 7)).getAttribute('title')).toBe(OLD);
    expect(within(east).queryByTestId('behind')).toBeTruthy();
    expect(within(staging).queryByTestId('behind')).toBeNull();
    expect(screen.getByText(/2 clusters, 1 behind the rendered commit/)).toBeTruthy();
    expect(within(east).getByRole('link', { name: 'prod-us-east' }).getAttribute('href')).toBe('/fleet/clusters/prod-us-east');
    expect(east.textContent).toContain('customization production: helm.values.replicas: 3');
    const toggle = within(east).getByRole('button', { name: 'Show 1 resource' });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('list', { name: 'Resources not ready on prod-us-east' }).textContent).toBe(
      'ConfigMap core/settings Modified — data.replicas differs',
    );
  });

  it('says what goes where: each target rule links to the Fleet page with its selector; each customization lists its options and clusters', async () => {
    await open(fleetDetail());
    const section = screen.getByRole('region', { name: 'What goes where' });
    expect(section.textContent).toContain('Customizations only change options; they never add clusters.');
    const rule = within(section).getByRole('link', { name: 'tenant=client-a' });
    expect(rule.getAttribute('href')).toBe('/fleet?selector=tenant%3Dclient-a');
    expect(within(section).getByRole('list', { name: 'Clusters matching tenant=client-a' }).textContent).toBe('prod-us-eaststaging');
    expect(within(section).getByRole('list', { name: 'Options of production' }).textContent).toBe('helm.values.replicas: 3');
    expect(within(section).getByRole('list', { name: 'Clusters production applied to' }).textContent).toBe('prod-us-east');
    expect(within(section).getByRole('link', { name: 'env=production' }).getAttribute('href')).toBe('/fleet?selector=env%3Dproduction');
  });

  it('shows the first clusters of a big rule, and all of them when asked', async () => {
    const many = Array.from({ length: 45 }, (_, i) => `edge-${String(i).padStart(3, '0')}`);
    await open(fleetDetail({ placement: { targets: [{ selector: 'env=edge', clusters: many }], customizations: [] } }));
    const list = () => screen.getByRole('list', { name: 'Clusters matching env=edge' });
    expect(within(list()).getAllByRole('link')).toHaveLength(40);
    fireEvent.click(screen.getByRole('button', { name: 'Show all 45' }));
    expect(within(list()).getAllByRole('link')).toHaveLength(45);
    expect(screen.getByText('None: every cluster gets the same options.')).toBeTruthy();
  });

  it('disables an action the person may not take, with the reason', async () => {
    await open(fleetDetail());
    const pause = screen.getByRole<HTMLButtonElement>('button', { name: 'Pause…' });
    expect(pause.disabled).toBe(true);
    expect(document.getElementById(pause.getAttribute('aria-describedby')!)!.textContent).toBe('Viewers may not pause GitRepos.');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Force update…' }).disabled).toBe(false);
    expect(screen.queryByRole('button', { name: 'Sync…' })).toBeNull();
  });

  it('force update asks first and sends a fresh click id for every click', async () => {
    const { calls } = await open(fleetDetail(), {
      [`${api('fleet:fleet-default/core-stack')}/force-update`]: { body: { outcome: 'done', message: 'forceSyncGeneration 4 → 5' } },
    });
    for (let i = 0; i < 2; i++) {
      fireEvent.click(screen.getByRole('button', { name: 'Force update…' }));
      const dialog = await screen.findByRole('dialog', { name: 'Force update core-stack?' });
      expect(dialog.textContent).toContain('forceSyncGeneration 4 → 5');
      fireEvent.click(within(dialog).getByRole('button', { name: 'Force update' }));
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    }
    expect(screen.getByTestId('action-result').textContent).toBe('Force update: forceSyncGeneration 4 → 5');
    const [a, b] = posts(calls).map(bodyOf) as { click: string }[];
    expect(a!.click).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect(b!.click).not.toBe(a!.click);
    expect(new Headers(posts(calls)[0]!.init!.headers).get('x-csrf-token')).toBe('csrf-123');
  });

  it('resume is offered instead of pause on a paused repo, and says it is paused', async () => {
    const { calls } = await open(fleetDetail({ paused: true, can: { forceUpdate: '', pause: '' } }), {
      [`${api('fleet:fleet-default/core-stack')}/resume`]: { body: { outcome: 'done', message: 'resumed' } },
    });
    expect(screen.getByText(/Paused: new commits are still rendered/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resume core-stack?' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), { target: { value: ' fixed ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Resume' }));
    await screen.findByTestId('action-result');
    expect(posts(calls)[0]!.url.pathname).toBe(`${api('fleet:fleet-default/core-stack')}/resume`);
    expect(bodyOf(posts(calls)[0])).toEqual({ reason: 'fixed' });
  });
});

describe('Delivery page: an Argo CD Application', () => {
  const ID = 'argocd:argocd/storefront-prod-us-east';

  it('shows project, destination, sync and health, the last operation and its ApplicationSet', async () => {
    await open(argoDetail());
    const panel = screen.getByRole('region', { name: 'Argo CD' });
    for (const s of [
      'client-a',
      'https://prod-us-east.example:6443',
      'namespace storefront',
      'OutOfSync / Healthy',
      'client-a-storefront',
      'automated',
    ]) {
      expect(panel.textContent).toContain(s);
    }
    expect(within(panel).getByTestId('operation-phase').textContent).toBe('Succeeded');
    expect(screen.queryByRole('region', { name: 'What goes where' })).toBeNull();
  });

  it('syncs with a revision and prune; a refusal (409) is shown in the dialog in the problem’s words', async () => {
    let status = 409;
    const { calls } = await open(argoDetail(), {
      [`${api(ID)}/sync`]: () =>
        status === 409
          ? { status, body: problem(409, 'A sync is already running on storefront-prod-us-east; try again when it finishes.') }
          : { body: { outcome: 'done', message: 'sync to v2 asked' } },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Sync…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sync storefront-prod-us-east?' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Revision/ }), { target: { value: 'v2' } });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Prune/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('A sync is already running');
    status = 200;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('action-result').textContent).toBe('Sync: sync to v2 asked');
    expect(posts(calls).map(bodyOf)).toEqual([
      { revision: 'v2', prune: true },
      { revision: 'v2', prune: true },
    ]);
  });

  it('refuses a revision that is not one before sending it', async () => {
    const { calls } = await open(argoDetail());
    fireEvent.click(screen.getByRole('button', { name: 'Sync…' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Revision/ }), { target: { value: 'main; rm -rf' } });
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Sync' }).disabled).toBe(true);
    expect(posts(calls)).toHaveLength(0);
  });

  it('refreshes hard when asked', async () => {
    const { calls } = await open(argoDetail(), { [`${api(ID)}/refresh`]: { body: { outcome: 'done', message: 'hard refresh asked' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Refresh storefront-prod-us-east?' });
    fireEvent.click(within(dialog).getByRole('radio', { name: /Hard/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Refresh' }));
    await screen.findByTestId('action-result');
    expect(bodyOf(posts(calls)[0])).toEqual({ hard: true });
  });

  it('follows live events naming it, without a reload, and says when it is gone', async () => {
    let d = argoDetail();
    let gone = false;
    await open(d, {
      [api(ID)]: () => (gone ? { status: 404, body: problem(404, 'no such delivery') } : { body: { delivery: d, errors: [] } }),
    });
    d = argoDetail({ status: { label: 'Synced / Healthy', tone: 'ok', rank: 1 } });
    // An event about another delivery changes nothing here.
    act(() => FakeEventSource.last!.emit('delivery', { ids: ['fleet:fleet-default/other'] }));
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.getByTestId('delivery-state').textContent).toBe('OutOfSync / Healthy');
    act(() => FakeEventSource.last!.emit('delivery', { ids: [ID] }));
    await waitFor(() => expect(screen.getByTestId('delivery-state').textContent).toBe('Synced / Healthy'));
    gone = true;
    act(() => FakeEventSource.last!.emit('delivery', { ids: [ID] }));
    expect((await screen.findByText('This delivery is gone')).textContent).toBeTruthy();
  });
});

describe('Cluster page: the Deliveries section', () => {
  it('lists each delivery on the cluster with its state and applied commit there, linked to its page', async () => {
    const cluster = demoClusters(new Date('2026-11-26T00:00:00Z'))[0]!;
    fakeBff({
      '/api/me': { body: OPERATOR },
      [`/api/clusters/${cluster.name}`]: { body: cluster },
      [`/api/clusters/${cluster.name}/deliveries`]: { body: clusterDeliveries() },
    });
    await renderApp(`/fleet/clusters/${cluster.name}`);
    const section = await screen.findByRole('region', { name: 'Deliveries' });
    const row = await within(section).findByTestId('cluster-delivery');
    expect(within(row).getByRole('link', { name: 'core-stack' }).getAttribute('href')).toBe(
      '/deliveries/fleet%3Afleet-default%2Fcore-stack',
    );
    expect(within(row).getByTestId('delivery-status').textContent).toBe('Modified');
    expect(within(row).getByText(OLD.slice(0, 7)).getAttribute('title')).toBe(OLD);
  });
});
