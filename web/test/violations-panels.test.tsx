// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { CoveragePanel } from '../src/features/violations/coverage-panel.tsx';
import { groupRows } from '../src/features/violations/group-rows.ts';
import { heatLegend, heatMapData, heatStep } from '../src/features/violations/heat-map-data.ts';
import { IsolationMatrix } from '../src/features/violations/isolation-matrix.tsx';
import { ViolationsSearch, csvHref, filtersOf } from '../src/features/violations/violation-search.ts';
import { fakeBff, ME, renderApp } from './rollouts-harness.tsx';
import { coverage, ITEMS, list, summary, violation } from './violations-fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
vi.setConfig({ testTimeout: 20_000 });

describe('isolation matrix', () => {
  it('says each state in words, with what is wider or missing, and counts the open ones', () => {
    render(<IsolationMatrix isolation={coverage().isolation} />);
    const cell = (c: string, ns: string) => screen.getByTestId(`isolation-${c}-${ns}`).textContent;
    expect(cell('prod-us-east', 'client-a-shop')).toBe('isolated');
    expect(cell('prod-us-east', 'client-a-api')).toBe('wideringress from any namespace');
    expect(cell('stage-eu', 'client-a-shop')).toBe('missingno NetworkPolicy selects the namespace');
    expect(cell('stage-eu', 'client-a-api')).toBe('—not on this cluster');
    expect(screen.getByTestId('isolation-findings').textContent).toBe('2 tenant namespaces are not isolated.');
    // The icon only repeats the word: it is hidden from screen readers.
    for (const svg of document.querySelectorAll('svg')) expect(svg.getAttribute('aria-hidden')).toBe('true');
  });
});

describe('coverage panel', () => {
  it('counts a missing baseline policy as a finding and shows every baseline per cluster', () => {
    render(<CoveragePanel coverage={coverage().coverage} />);
    expect(screen.getByTestId('coverage-findings').textContent).toBe('1 missing baseline policy (each one a finding).');
    const prod = screen.getByRole('row', { name: /^prod-us-east/ });
    const cells = within(prod)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells[0]).toBe('enforced');
    expect(cells.at(-1)).toBe('missing');
    expect(cells).toHaveLength(10);
    expect(within(screen.getByRole('row', { name: /^stage-eu/ })).getAllByRole('cell')[3]!.textContent).toBe('audited only');
  });
});

describe('heat map data', () => {
  it('orders policies and clusters busiest first, sums a policy of both engines, and caps the axes', () => {
    const data = heatMapData(
      [
        { policy: 'a', engine: 'gatekeeper', cluster: 'x', count: 1 },
        { policy: 'b', engine: 'kyverno', cluster: 'y', count: 5 },
        { policy: 'a', engine: 'kyverno', cluster: 'x', count: 2 },
        { policy: 'c', engine: 'kyverno', cluster: 'z', count: 1 },
      ],
      2,
    );
    expect(data.policies).toEqual(['b', 'a']);
    expect(data.clusters).toEqual(['y', 'x']);
    expect(data.max).toBe(5);
    expect([data.totalPolicies, data.totalClusters]).toEqual([3, 3]);
  });

  it('puts every count in the legend step that names it', () => {
    for (const max of [1, 3, 7, 12, 143]) {
      const legend = heatLegend(max);
      for (let n = 0; n <= max; n++) {
        const step = heatStep(n, max);
        const text = legend.find((l) => l.step === step)!.text;
        const [from, to = from] = text.split('–').map(Number);
        expect(n >= from! && n <= to!, `max ${max}, n ${n} in "${text}"`).toBe(true);
      }
    }
  });
});

describe('grouping and URL state', () => {
  it('groups rows by namespace per cluster, cluster-scoped ones apart, keeping the order', () => {
    const rows = groupRows([...ITEMS, violation({ id: 'v9', resource: { kind: 'Namespace', name: 'client-a-shop' } })], 'namespace');
    expect(rows.filter((r) => r.kind === 'group').map((r) => (r.kind === 'group' ? `${r.label}:${r.count}` : ''))).toEqual([
      'prod-us-east / client-a-shop:1',
      'prod-us-east / client-a-api:1',
      'stage-eu / client-a-shop:1',
      'prod-us-east / (cluster-scoped):1',
    ]);
  });

  it('drops values that do not parse and keeps the rest; the CSV link has exactly the filters', () => {
    const search = ViolationsSearch.parse({ severity: 'urgent', engine: 'kyverno', group: 'tenant', q: '', sort: 'lastSeen', range: '2y' });
    expect(search).toEqual({ engine: 'kyverno', sort: 'lastSeen' });
    expect(filtersOf(search)).toEqual({ engine: 'kyverno' });
    expect(csvHref({ engine: 'kyverno', namespace: 'a b&c' })).toBe('/api/violations/export.csv?engine=kyverno&namespace=a+b%26c');
  });
});

describe('cluster page section', () => {
  it('lists the cluster’s violations from the fleet list, with severity counts and a link to the page filtered to it', async () => {
    const c = demoClusters(new Date('2026-11-26T00:00:00Z'))[0]!;
    const { calls } = fakeBff({
      '/api/me': { body: ME },
      [`/api/clusters/${c.name}`]: { body: c },
      '/api/violations': {
        body: list(ITEMS.slice(0, 2), { total: 57, feeds: [{ cluster: c.name, state: 'stale', lastSyncAt: '2026-11-25T11:00:00Z' }] }),
      },
      '/api/violations/summary': { body: summary() },
    });
    await renderApp(`/fleet/clusters/${c.name}`);
    const section = await screen.findByRole('region', { name: 'Policy violations' });
    await waitFor(() =>
      expect(within(section).getByTestId('cluster-violation-counts').textContent).toBe('57 violations (first 2 below)high: 12medium: 3'),
    );
    expect(within(section).getByTestId('feed-note').textContent).toMatch(/^stale since /);
    expect(within(section).getAllByRole('row')).toHaveLength(3);
    const link = within(section).getByRole('link', { name: `All violations on ${c.name}` });
    expect(link.getAttribute('href')).toBe(`/violations?cluster=${c.name}`);
    const asked = calls.filter((x) => x.url.pathname.startsWith('/api/violations')).map((x) => Object.fromEntries(x.url.searchParams));
    expect(asked).toContainEqual({ cluster: c.name, limit: '50' });
    expect(asked).toContainEqual({ cluster: c.name });
  });
});
