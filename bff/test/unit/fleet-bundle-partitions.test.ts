import { describe, expect, it } from 'vitest';

import { fleetLimit, groupsOf, partitionSelects, selectorMatches } from '../../src/sources/rancher/bundles/partition-match.ts';
import { clusterGroupView, fleetClusterView, intOrPercent } from '../../src/sources/rancher/bundles/reduce-objects.ts';
import { EDGE_GROUP, fleetCluster } from './fleet-bundle-fixtures.ts';

const edge = fleetClusterView(fleetCluster('edge-1', { tier: 'edge', region: 'eu' }))!;
const groups = groupsOf(edge, [clusterGroupView(EDGE_GROUP)!, { name: 'elsewhere', namespace: 'other', labels: {}, selector: {} }]);

describe('Fleet partition matching', () => {
  it('selects by label selector with Kubernetes semantics; an unknown operator selects nothing', () => {
    expect(selectorMatches({}, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '1' } }, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['0'] }] }, { a: '1' })).toBe(false);
  });

  it("knows a cluster's groups only in its own namespace", () => {
    expect(groups.map((g) => g.name)).toEqual(['edge-clusters']);
  });

  it('ANDs every criterion a partition sets; a partition with none selects nothing', () => {
    expect(partitionSelects({}, edge, groups)).toBe(false);
    expect(partitionSelects({ clusterName: 'edge-1' }, edge, groups)).toBe(true);
    expect(partitionSelects({ clusterName: 'edge-1', clusterSelector: { matchLabels: { region: 'us' } } }, edge, groups)).toBe(false);
    expect(partitionSelects({ clusterGroup: 'edge-clusters' }, edge, groups)).toBe(true);
    expect(partitionSelects({ clusterGroup: 'edge-clusters' }, edge, [])).toBe(false);
    // clusterGroupSelector selects on the group's own labels, not the cluster's.
    expect(partitionSelects({ clusterGroupSelector: { matchLabels: { kind: 'edge' } } }, edge, groups)).toBe(true);
    expect(partitionSelects({ clusterGroupSelector: { matchLabels: { tier: 'edge' } } }, edge, groups)).toBe(false);
  });

  it('computes limits as Fleet does: first value set, percentages rounded down with at least one', () => {
    expect(fleetLimit(10, [undefined, '25%'], '100%')).toBe(2);
    expect(fleetLimit(3, ['10%'], '100%')).toBe(1);
    expect(fleetLimit(3, [undefined], '100%')).toBe(3);
    expect(fleetLimit(3, [0], '100%')).toBe(0);
    expect(fleetLimit(0, [0], '100%')).toBe(1);
    expect(fleetLimit(3, ['0%'], '100%')).toBe(1);
    expect(fleetLimit(4, [undefined], 0)).toBe(0);
  });

  it('reads IntOrString values Fleet accepts and drops the rest', () => {
    expect([2, '2', '25%', -1, 1.5, 'x', '5 %', null].map(intOrPercent)).toEqual([
      2,
      2,
      '25%',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
