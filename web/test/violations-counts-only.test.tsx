// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { GATEKEEPER_ALL_CONSTRAINTS, type ViolationSummary } from '@fleetdeck/shared';

import { HeatMap } from '../src/features/violations/heat-map.tsx';
import { cellKey, heatMapData } from '../src/features/violations/heat-map-data.ts';

afterEach(cleanup);

const cells: ViolationSummary['byPolicyCluster'] = [
  { policy: 'require-labels', engine: 'kyverno', cluster: 'prod-eu-west', count: 4 },
  { policy: 'deny-latest-tag', engine: 'kyverno', cluster: 'prod-eu-west', count: 1 },
];
const countsOnly: NonNullable<ViolationSummary['countsOnly']> = {
  total: 9,
  byPolicyCluster: [
    { policy: GATEKEEPER_ALL_CONSTRAINTS, engine: 'gatekeeper', cluster: 'client-b-dev', count: 6, metric: 'gatekeeper_violations' },
    { policy: 'require-labels', engine: 'kyverno', cluster: 'client-b-dev', count: 3, metric: 'policy_report_result' },
  ],
  bySeverity: [],
};

describe('counts-only cells in the heat map', () => {
  it('joins them to the map, marked, and says what they are', () => {
    const data = heatMapData({ byPolicyCluster: cells, countsOnly });
    expect(data.counts.get(cellKey('require-labels', 'client-b-dev'))).toBe(3);
    expect([...data.countsOnly]).toEqual([cellKey(GATEKEEPER_ALL_CONSTRAINTS, 'client-b-dev'), cellKey('require-labels', 'client-b-dev')]);
    render(<HeatMap data={data} onPick={() => undefined} />);
    expect(
      screen.getByRole('button', {
        name: `${GATEKEEPER_ALL_CONSTRAINTS} on client-b-dev: 6 violations, counts only (from metrics, no resources)`,
      }),
    );
    expect(screen.getByRole('button', { name: 'require-labels on prod-eu-west: 4 violations' }));
    expect(screen.getByTestId('heat-map-counts-only').textContent).toMatch(/counts only/);
  });

  it('ranks the axes by the server’s totals and counts what it did not send', () => {
    const data = heatMapData(
      {
        byPolicyCluster: cells,
        heatMap: {
          policies: 12,
          clusters: 400,
          cut: true,
          // deny-latest-tag is busier over the whole fleet than in the cells sent.
          policyTotals: [
            { policy: 'deny-latest-tag', count: 90 },
            { policy: 'require-labels', count: 50 },
          ],
          clusterTotals: [{ cluster: 'prod-eu-west', count: 140 }],
        },
      },
      30,
    );
    expect(data.policies).toEqual(['deny-latest-tag', 'require-labels']);
    expect([data.totalPolicies, data.totalClusters]).toEqual([12, 400]);
  });
});
