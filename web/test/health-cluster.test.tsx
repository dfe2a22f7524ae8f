// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ClusterHealthPanels, apiPaths, apiUrl } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { fakeBff, ME, renderApp } from './rollouts-harness.tsx';

// happy-dom lays nothing out: give every box a size, so the charts draw as in a browser.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ width: 600, height: 200 }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
vi.setConfig({ testTimeout: 20_000 });

const cluster = demoClusters(new Date('2026-11-26T00:00:00Z'))[0]!;
const TO = Date.parse('2026-11-26T00:00:00Z') / 1000;

function healthAnswer(url: URL) {
  const range = url.searchParams.get('range');
  const from = range ? TO - 3600 : Date.parse(url.searchParams.get('from')!) / 1000;
  const to = range ? TO : Date.parse(url.searchParams.get('to')!) / 1000;
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const body = ClusterHealthPanels.parse({
    cluster: cluster.name,
    range: range ?? 'custom',
    window: { range: range ?? 'custom', from: iso(from), to: iso(to), step: 60 },
    panels: [
      {
        id: 'nodesReady',
        title: 'Nodes ready',
        unit: 'count',
        series: [
          {
            cluster: cluster.name,
            samples: [
              [from, 3],
              [from + 60, 1],
              [to, 2],
            ],
          },
        ],
        errors: [],
      },
      {
        id: 'memory',
        title: 'Memory usage',
        unit: 'bytes',
        series: [],
        errors: [{ source: 'prometheus', reason: 'query refused: too many points' }],
      },
    ],
  });
  return { body };
}

async function openCluster(search: string) {
  const path = apiUrl(apiPaths.clusterHealth, { name: cluster.name });
  const bff = fakeBff({
    '/api/me': { body: ME },
    [apiUrl(apiPaths.cluster, { name: cluster.name })]: { body: cluster },
    [path]: healthAnswer,
  });
  const app = await renderApp(`/fleet/clusters/${cluster.name}${search}`);
  const section = await screen.findByRole('region', { name: 'Health' });
  await within(section).findByTestId('panel-nodesReady');
  const healthCalls = () => bff.calls.filter((c) => c.url.pathname === path).map((c) => c.url.searchParams);
  return { ...app, section, healthCalls };
}

describe('Cluster page: health charts', () => {
  it('draws each panel as a chart named by its numbers, and a failed panel says why', async () => {
    const { section, healthCalls } = await openCluster('?range=1h');
    expect(healthCalls()[0]!.get('range')).toBe('1h');
    expect(within(section).getByRole('img', { name: 'Nodes ready over 1h: now 2, min 1, max 3.' })).toBeTruthy();
    const memory = within(section).getByTestId('panel-memory');
    expect(memory.dataset.state).toBe('error');
    expect(within(memory).getByRole('alert').textContent).toContain('query refused: too many points');
    expect(within(memory).queryByRole('img')).toBeNull();
  });

  it('keeps presets and a custom window in the cluster page URL', async () => {
    const { router, section, healthCalls } = await openCluster('');
    expect(healthCalls()[0]!.get('range')).toBe('6h');
    fireEvent.click(within(within(section).getByRole('group', { name: 'Time range' })).getByRole('button', { name: '15m' }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ range: '15m' }));
    await waitFor(() => expect(healthCalls().at(-1)!.get('range')).toBe('15m'));
    fireEvent.click(within(section).getByRole('button', { name: 'Custom…' }));
    const form = within(section).getByRole('form', { name: 'Custom time range' });
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: '2026-11-20T10:00' } });
    fireEvent.change(within(form).getByLabelText('to'), { target: { value: '2026-11-20T12:00' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    const from = new Date('2026-11-20T10:00').toISOString();
    await waitFor(() => expect(healthCalls().at(-1)!.get('from')).toBe(from));
    expect(router.state.location.search).toMatchObject({ from });
    await waitFor(() => expect(within(section).getByTestId('panel-nodesReady').dataset.window).toMatch(/^2026-11-20T/));
  });
});
