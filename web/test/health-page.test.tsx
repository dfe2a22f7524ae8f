// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FleetHealthPanels, healthApiPaths, type FleetHealthPanel, type HealthPanelDef } from '@fleetdeck/shared';

import { fakeBff, ME, problem, renderApp } from './rollouts-harness.tsx';

// happy-dom lays nothing out: give every box a size, so the charts draw as in a browser.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ width: 600, height: 200 }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
// The first test also loads the page's lazy chunk (recharts).
vi.setConfig({ testTimeout: 20_000 });

const TO = Date.parse('2026-11-26T00:00:00Z') / 1000;
const span = (range: string) => ({ '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400, '7d': 604_800 })[range] ?? 21_600;

function def(id: string, title: string, unit: HealthPanelDef['unit'], worse: HealthPanelDef['worse']): HealthPanelDef {
  return {
    id,
    title,
    unit,
    worse,
    help: `${title} help`,
    source: 'kube-state-metrics',
    query: `sum by (cluster) (${id})`,
    audience: 'wholeCluster',
  };
}

/** A panel over the window: a band, the worst clusters as lines, and a table with `clusters` rows. */
function panel(d: HealthPanelDef, from: number, to: number, extra: Partial<FleetHealthPanel> = {}): FleetHealthPanel {
  const times = Array.from({ length: 5 }, (_, i) => from + ((to - from) * i) / 4);
  return {
    def: d,
    band: times.map((t, i) => ({ t, p50: 0.9 - i * 0.01, p95: 0.99, min: 0.4, max: 1, n: 3 })),
    worst: [
      { cluster: 'edge-retail-007', points: times.map((t) => [t, 0.4]) },
      { cluster: 'prod-eu-west', points: times.map((t) => [t, 0.8]) },
    ],
    table: [
      { cluster: 'prod-eu-west', value: 0.8, at: to },
      { cluster: 'edge-retail-007', value: 0.4, at: to },
      { cluster: 'client-b-dev', value: 1, at: to },
    ],
    warnings: [],
    errors: [],
    ...extra,
    tableSize: (extra.table ?? [0, 0, 0]).length,
  };
}

/** 25 clusters' nodes ready (worst: fewest), named so that name order and value order differ. */
const NODE_ROWS = Array.from({ length: 25 }, (_, i) => ({ cluster: `node-${String(24 - i).padStart(2, '0')}`, value: i % 7, at: TO }));

/** What the BFF does with `rows`: the first rows, worst first, ties by name (and `tableSize` untouched). */
function firstRows(p: FleetHealthPanel, rows: string | null): FleetHealthPanel {
  if (rows === null) return p;
  const sign = p.def.worse === 'higher' ? -1 : 1;
  const sorted = [...p.table].sort((a, b) => sign * (a.value - b.value) || (a.cluster < b.cluster ? -1 : 1));
  return { ...p, table: sorted.slice(0, Number(rows)) };
}

/** The fake BFF's fleet panel set: answers for the window asked, so a range change shows in the answer. */
function panelsAnswer(url: URL) {
  const range = url.searchParams.get('range');
  const from = url.searchParams.get('from');
  const to = range ? TO : Date.parse(url.searchParams.get('to')!) / 1000;
  const start = range ? TO - span(range) : Date.parse(from!) / 1000;
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const body = FleetHealthPanels.parse({
    window: { range: range ?? 'custom', from: iso(start), to: iso(to), step: 60 },
    at: iso(to),
    clusters: 3,
    panels: [
      panel(def('podHealthRatio', 'Pod health ratio', 'ratio', 'lower'), start, to),
      panel(def('cpu', 'CPU usage', 'cores', 'higher'), start, to, {
        band: [],
        worst: [],
        table: [],
        errors: [{ source: 'prometheus', reason: 'Prometheus did not answer in time' }],
      }),
      panel(def('failedAuth', 'Failed authentication attempts', 'perSecond', 'higher'), start, to, {
        warnings: ['partial response: store eu-west unavailable'],
      }),
      panel(def('nodesReady', 'Nodes ready', 'count', 'lower'), start, to, { table: NODE_ROWS }),
    ]
      .filter((p) => url.searchParams.get('panels')?.split(',').includes(p.def.id) ?? true)
      .map((p) => firstRows(p, url.searchParams.get('rows'))),
    errors: [],
  });
  return { body };
}

async function openHealth(path = '/health') {
  const bff = fakeBff({ '/api/me': { body: ME }, [healthApiPaths.fleetHealthPanels]: panelsAnswer });
  const app = await renderApp(path);
  await screen.findByRole('heading', { level: 1, name: 'Health panels' });
  await screen.findByTestId('panel-podHealthRatio');
  const panelCalls = () => bff.calls.filter((c) => c.url.pathname === healthApiPaths.fleetHealthPanels).map((c) => c.url.searchParams);
  return { ...bff, ...app, panelCalls };
}

describe('Health page: the window lives in the URL', () => {
  it('asks for the range the URL names, and a range button changes both the URL and the charts', async () => {
    const { router, panelCalls } = await openHealth('/health?range=1h');
    expect(panelCalls()[0]!.get('range')).toBe('1h');
    const panelEl = screen.getByTestId('panel-podHealthRatio');
    const before = panelEl.dataset.window;
    expect(
      within(screen.getByRole('group', { name: 'Time range' }))
        .getByRole('button', { name: '1h' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    fireEvent.click(within(screen.getByRole('group', { name: 'Time range' })).getByRole('button', { name: '24h' }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ range: '24h' }));
    await waitFor(() => expect(screen.getByTestId('panel-podHealthRatio').dataset.window).not.toBe(before));
    expect(panelCalls().at(-1)!.get('range')).toBe('24h');
  });

  it('asks for a new range at the click, before the router and React have rendered the new URL', async () => {
    const { router, fetchMock } = await openHealth('/health?range=1h');
    const answer = fetchMock.getMockImplementation()!;
    // Where the URL stood when each panel set was asked for.
    const urlAtRequest: unknown[] = [];
    fetchMock.mockImplementation(async (input, init) => {
      if ((input instanceof Request ? input.url : String(input)).includes(healthApiPaths.fleetHealthPanels))
        urlAtRequest.push(router.state.location.search);
      return answer(input, init);
    });
    fireEvent.click(within(screen.getByRole('group', { name: 'Time range' })).getByRole('button', { name: '24h' }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ range: '24h' }));
    expect(urlAtRequest[0]).toMatchObject({ range: '1h' });
  });

  it('while a new range loads, the panels keep describing the answer they show, then the new one', async () => {
    const { fetchMock } = await openHealth('/health?range=1h');
    const label = () => within(screen.getByTestId('panel-podHealthRatio')).getByRole('img').getAttribute('aria-label');
    expect(label()).toMatch(/^Pod health ratio over 1h:/);
    // Hold the 24h answer back until released.
    const answer = fetchMock.getMockImplementation()!;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    fetchMock.mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      if (url.includes('range=24h')) await held;
      return answer(input, init);
    });
    fireEvent.click(within(screen.getByRole('group', { name: 'Time range' })).getByRole('button', { name: '24h' }));
    await screen.findByText(/loading the new range/);
    expect(label()).toMatch(/^Pod health ratio over 1h:/);
    release();
    await waitFor(() => expect(label()).toMatch(/^Pod health ratio over 24h:/));
  });

  it('applies a custom from/to into the URL and asks the BFF for it', async () => {
    const { router, panelCalls } = await openHealth();
    fireEvent.click(screen.getByRole('button', { name: 'Custom…' }));
    const form = screen.getByRole('form', { name: 'Custom time range' });
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: '2026-11-20T10:00' } });
    fireEvent.change(within(form).getByLabelText('to'), { target: { value: '2026-11-20T08:00' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(within(form).getByRole('alert').textContent).toBe('The end must be after the start.');
    fireEvent.change(within(form).getByLabelText('to'), { target: { value: '2026-11-21T10:00' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    const from = new Date('2026-11-20T10:00').toISOString();
    await waitFor(() => expect(router.state.location.search).toMatchObject({ from, to: new Date('2026-11-21T10:00').toISOString() }));
    expect(router.state.location.search).not.toHaveProperty('range');
    await waitFor(() => expect(panelCalls().at(-1)!.get('from')).toBe(from));
    expect(screen.getByTestId('refresh-state').textContent).toContain('Fixed range');
  });

  it('pauses auto-refresh through the URL', async () => {
    const { router } = await openHealth('/health?range=15m');
    expect(screen.getByTestId('refresh-state').textContent).toContain('Auto-refresh on');
    fireEvent.click(screen.getByRole('button', { name: 'Pause auto-refresh' }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ range: '15m', refresh: 'off' }));
    expect(screen.getByTestId('refresh-state').textContent).toContain('Auto-refresh paused');
  });
});

describe('Health page: panels', () => {
  it('shows a failed panel with its error while the other panels draw', async () => {
    await openHealth();
    const cpu = screen.getByTestId('panel-cpu');
    expect(cpu.dataset.state).toBe('error');
    expect(within(cpu).getByRole('alert').textContent).toContain('Prometheus did not answer in time');
    expect(cpu.querySelector('svg.recharts-surface')).toBeNull();
    const pods = screen.getByTestId('panel-podHealthRatio');
    expect(pods.dataset.state).toBe('ok');
    expect(within(pods).getByRole('img').getAttribute('aria-label')).toMatch(
      /Pod health ratio over 6h: 3 clusters reporting; median now 86%/,
    );
    expect(within(pods).getByTestId('table-podHealthRatio').querySelectorAll('tbody tr')).toHaveLength(3);
    const auth = screen.getByTestId('panel-failedAuth');
    expect(auth.textContent).toContain('Warning: partial response: store eu-west unavailable');
  });

  it('a legend entry hides its series and shows it again', async () => {
    await openHealth();
    const pods = screen.getByTestId('panel-podHealthRatio');
    const legend = within(pods).getByRole('list', { name: 'Pod health ratio: series shown' });
    const entry = within(legend).getByRole('button', { name: /edge-retail-007/ });
    const chart = () => pods.querySelector<HTMLElement>('[data-series-visible]')!;
    const lines = () => pods.querySelectorAll('path[data-series^="w"]').length;
    expect(chart().dataset.seriesVisible).toBe('band p50 w0 w1');
    const drawn = lines();
    expect(drawn).toBeGreaterThan(0);
    fireEvent.click(entry);
    expect(entry.getAttribute('aria-pressed')).toBe('false');
    expect(chart().dataset.seriesVisible).toBe('band p50 w1');
    await waitFor(() => expect(lines()).toBe(drawn - 1));
    fireEvent.click(entry);
    expect(chart().dataset.seriesVisible).toBe('band p50 w0 w1');
  });

  it('draws its axes in the unit and over the range, a grid line per value tick, and the median dashed', async () => {
    await openHealth();
    const pods = screen.getByTestId('panel-podHealthRatio');
    const axes = pods.querySelector('g.chart-axes')!;
    const labels = [...axes.querySelectorAll('text')].map((t) => t.textContent);
    // A ratio: 0–100 % in recharts' nice steps, then the window's times.
    expect(labels.slice(0, 5)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(labels.length).toBeGreaterThan(6);
    expect(axes.querySelectorAll('g[stroke-opacity="0.15"] line')).toHaveLength(5);
    const median = pods.querySelector('path[data-series="p50"]')!;
    expect(median.getAttribute('stroke-dasharray')).toBe('5 3');
    expect(median.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('sorts the table worst first, then by cluster on request', async () => {
    await openHealth();
    const table = screen.getByTestId('table-podHealthRatio');
    const order = () => [...table.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-cluster'));
    expect(order()).toEqual(['edge-retail-007', 'prod-eu-west', 'client-b-dev']);
    expect(table.querySelector('tbody tr')!.textContent).toContain('40%');
    fireEvent.click(within(table).getByRole('button', { name: 'Cluster' }));
    expect(order()).toEqual(['client-b-dev', 'edge-retail-007', 'prod-eu-west']);
    expect(within(table).getByRole('columnheader', { name: 'Cluster' }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(table).getByRole('button', { name: 'Cluster' }));
    expect(order()).toEqual(['prod-eu-west', 'edge-retail-007', 'client-b-dev']);
  });

  it('opens a big table on its first rows, worst first, and asks for the whole table, over the window shown, to show all', async () => {
    const { panelCalls } = await openHealth();
    expect(panelCalls()[0]!.get('rows')).toBe('10');
    const table = screen.getByTestId('table-nodesReady');
    const order = () => [...table.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-cluster'));
    // Value 0 first (worst), ties by name: node-03, node-10, node-17, node-24; then value 1…
    expect(order()).toEqual(['node-03', 'node-10', 'node-17', 'node-24', 'node-02', 'node-09', 'node-16', 'node-23', 'node-01', 'node-08']);
    expect(table.querySelector('caption')!.textContent).toContain('(25 clusters)');
    const shown = screen.getByTestId('panel-nodesReady').dataset.window!;
    fireEvent.click(screen.getByRole('button', { name: 'Show all 25 clusters' }));
    await waitFor(() => expect(order()).toHaveLength(25));
    const ask = panelCalls().at(-1)!;
    expect(ask.get('panels')).toBe('nodesReady');
    expect(ask.get('rows')).toBeNull();
    expect(ask.get('worst')).toBe('0');
    expect(`${ask.get('from')}/${ask.get('to')}`).toBe(shown);
    expect(order().slice(0, 4)).toEqual(['node-03', 'node-10', 'node-17', 'node-24']);
    fireEvent.click(within(table).getByRole('button', { name: 'Cluster' }));
    expect(order()).toEqual(NODE_ROWS.map((r) => r.cluster).sort());
  });

  it('sorting a big table by name asks for the whole table; a failed ask says so and retries', async () => {
    const { fetchMock } = await openHealth();
    const answer = fetchMock.getMockImplementation()!;
    let fail = true;
    let failed = 0;
    fetchMock.mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      if (fail && url.includes('panels=nodesReady') && ++failed)
        // A 4xx: the app's policy retries 5xx on its own, for seconds.
        return new Response(JSON.stringify(problem(400, 'no such panel: nodesReady')), {
          status: 400,
          headers: { 'content-type': 'application/problem+json' },
        });
      return answer(input, init);
    });
    const table = screen.getByTestId('table-nodesReady');
    const order = () => [...table.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-cluster'));
    fireEvent.click(within(table).getByRole('button', { name: 'Cluster' }));
    const panelEl = screen.getByTestId('panel-nodesReady');
    expect(await within(panelEl).findByText(/Could not load every cluster: .*no such panel: nodesReady/)).toBeTruthy();
    expect(failed).toBeGreaterThan(0);
    // The first rows stay, in the order they came, until the whole table is here.
    expect(order()[0]).toBe('node-03');
    fail = false;
    fireEvent.click(within(panelEl).getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(order()).toEqual(
        NODE_ROWS.map((r) => r.cluster)
          .sort()
          .slice(0, 10),
      ),
    );
  });

  it('says so when the whole request fails', async () => {
    fakeBff({ '/api/me': { body: ME }, [healthApiPaths.fleetHealthPanels]: { status: 403, body: problem(403, 'not for you') } });
    await renderApp('/health');
    expect((await screen.findByRole('alert')).textContent).toContain('not for you');
  });
});
