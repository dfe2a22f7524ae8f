import { compileSelector, parseSelector } from '@fleetdeck/shared';
import { describe, expect, it } from 'vitest';

import {
  placeFleet,
  targetMatches,
  type FleetCustomizationSpec,
  type PlacementCluster,
  type PlacementGroup,
} from '../../src/domain/fleet-targets.ts';

// The brief's fleet: client-a production in two regions, staging, edge stores; client-b production.
const clusters: PlacementCluster[] = [
  { name: 'prod-us-east', labels: { client: 'client-a', env: 'production', region: 'us-east' } },
  { name: 'prod-us-west', labels: { client: 'client-a', env: 'production', region: 'us-west' } },
  { name: 'staging', labels: { client: 'client-a', env: 'staging', region: 'us-east' } },
  { name: 'edge-retail-001', labels: { client: 'client-a', env: 'production', tier: 'edge' } },
  { name: 'edge-retail-002', labels: { client: 'client-a', env: 'production', tier: 'edge' } },
  { name: 'prod-eu-west', labels: { client: 'client-b', env: 'production', region: 'eu-west' } },
  { name: 'c-m-8x2k', labels: { client: 'client-c', env: 'dev', 'management.cattle.io/cluster-display-name': 'dev' } },
];
const groups: PlacementGroup[] = [
  { name: 'edge-clusters', labels: { kind: 'edge' }, selector: { matchLabels: { tier: 'edge' } } },
  { name: 'us-prod', labels: { kind: 'region' }, selector: { matchLabels: { env: 'production', region: 'us-east' } } },
  { name: 'west-prod', labels: { kind: 'region' }, selector: { matchLabels: { region: 'us-west' } } },
  { name: 'default', labels: {}, selector: { matchLabels: { client: 'client-b' } } },
  // No selector: Fleet skips it, it holds nobody.
  { name: 'empty', labels: { kind: 'edge' } },
];
const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).sort();

/** Our selector text, applied the way the Fleet page applies it, to the same clusters. */
function ourSelection(text: string): string[] {
  const select = compileSelector(parseSelector(text));
  return clusters
    .filter((c) =>
      select({
        name: c.name,
        tenant: '',
        labels: { ...c.labels },
        annotations: {},
        groups: names(
          groups.filter((g) => g.selector && Object.entries(g.selector.matchLabels ?? {}).every(([k, v]) => c.labels[k] === v)),
        ),
      }),
    )
    .map((c) => c.name)
    .sort();
}

describe('placeFleet: targets are allow-lists', () => {
  it('matches by clusterSelector (matchLabels and every matchExpressions operator) and writes it in our syntax', () => {
    const { targets } = placeFleet(
      [
        {
          name: 'prod',
          clusterSelector: {
            matchLabels: { env: 'production' },
            matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east', 'us-west'] }],
          },
        },
        { name: 'not-us', clusterSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['us-east', 'us-west'] }] } },
        { name: 'edge', clusterSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } },
        {
          name: 'no-tier',
          clusterSelector: {
            matchExpressions: [
              { key: 'tier', operator: 'DoesNotExist' },
              { key: 'env', operator: 'In', values: ['staging'] },
            ],
          },
        },
      ],
      [],
      clusters,
      groups,
    );
    expect(targets.map((t) => [t.name, t.selector, t.clusters])).toEqual([
      ['prod', 'env=production,region in (us-east,us-west)', ['prod-us-east', 'prod-us-west']],
      ['not-us', 'region notin (us-east,us-west)', ['c-m-8x2k', 'edge-retail-001', 'edge-retail-002', 'prod-eu-west']],
      ['edge', 'tier', ['edge-retail-001', 'edge-retail-002']],
      ['no-tier', '!tier,env in (staging)', ['staging']],
    ]);
    for (const t of targets) {
      expect(t.approximate).toBeUndefined();
      expect(ourSelection(t.selector)).toEqual(t.clusters);
    }
  });

  it('an empty selector {} matches every cluster; an entry that sets nothing matches none', () => {
    const { targets } = placeFleet([{ name: 'all', clusterSelector: {} }, { name: 'nothing' }], [], clusters, groups);
    expect(targets[0]).toEqual({ name: 'all', selector: '', clusters: names(clusters) });
    expect(targets[1]!.clusters).toEqual([]);
    // "" would select everything on the Fleet page: say it is only a superset.
    expect(targets[1]!.approximate).toBe(true);
  });

  it('matches by clusterName, also by Rancher display name, and by clusterGroup', () => {
    const { targets } = placeFleet(
      [{ clusterName: 'staging' }, { clusterName: 'dev' }, { clusterGroup: 'edge-clusters' }, { clusterGroup: 'empty' }],
      [],
      clusters,
      groups,
    );
    expect(targets.map((t) => [t.selector, t.clusters])).toEqual([
      ['name:staging', ['staging']],
      ['management.cattle.io/cluster-display-name=dev', ['c-m-8x2k']],
      ['group:edge-clusters', ['edge-retail-001', 'edge-retail-002']],
      ['group:empty', []],
    ]);
    for (const t of targets) expect(ourSelection(t.selector)).toEqual(t.clusters);
  });

  it('ANDs criteria, group criteria on one and the same group; clusterGroupSelector uses the group labels', () => {
    const { targets } = placeFleet(
      [
        { clusterGroup: 'us-prod', clusterSelector: { matchLabels: { client: 'client-a' } } },
        { clusterGroupSelector: { matchLabels: { kind: 'edge' } } },
        // Selects the groups us-prod and west-prod: an OR our syntax cannot write.
        { clusterGroupSelector: { matchLabels: { kind: 'region' } } },
        { clusterGroup: 'us-prod', clusterGroupSelector: { matchLabels: { kind: 'edge' } } },
      ],
      [],
      clusters,
      groups,
    );
    expect(targets.map((t) => [t.selector, t.clusters, t.approximate])).toEqual([
      ['client=client-a,group:us-prod', ['prod-us-east'], undefined],
      ['group:edge-clusters', ['edge-retail-001', 'edge-retail-002'], undefined],
      ['', ['prod-us-east', 'prod-us-west'], true],
      ['group:us-prod', [], true],
    ]);
    expect(ourSelection(targets[0]!.selector)).toEqual(targets[0]!.clusters);
    expect(ourSelection(targets[1]!.selector)).toEqual(targets[1]!.clusters);
  });

  it('with no targets at all uses Fleet default: the cluster group "default"', () => {
    const { targets, byCluster } = placeFleet([], [], clusters, groups);
    expect(targets).toEqual([{ name: 'default', selector: 'group:default', clusters: ['prod-eu-west'] }]);
    expect([...byCluster.keys()]).toEqual(['prod-eu-west']);
  });

  it('fails closed on an invalid selector (unknown operator, In without values)', () => {
    const c = clusters[0]!;
    expect(targetMatches({ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] } }, c, [])).toBe(false);
    expect(targetMatches({ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] } }, c, [])).toBe(false);
    const { targets } = placeFleet(
      [{ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] } }],
      [],
      clusters,
      groups,
    );
    expect(targets[0]).toMatchObject({ clusters: [], approximate: true });
  });

  it('a clusterGroupSelector {} matches a cluster in no group, as Fleet evaluates it', () => {
    const lonely: PlacementCluster = { name: 'lonely', labels: {} };
    expect(targetMatches({ clusterGroupSelector: {} }, lonely, [])).toBe(true);
    expect(targetMatches({ clusterGroup: 'default' }, lonely, [])).toBe(false);
  });
});

describe('placeFleet: targetCustomizations', () => {
  // The brief's core-stack: replicas 3 in production, 1 in staging, lightweight on client-a's edge.
  const customizations: FleetCustomizationSpec[] = [
    { name: 'edge', clusterGroup: 'edge-clusters', options: ['helm.values.lightweight: true'] },
    { name: 'no-eu', clusterSelector: { matchLabels: { region: 'eu-west' } }, doNotDeploy: true, options: [] },
    { name: 'production', clusterSelector: { matchLabels: { env: 'production' } }, options: ['helm.values.replicas: 3'] },
    { name: 'staging', clusterSelector: { matchLabels: { env: 'staging' } }, options: ['helm.values.replicas: 1'] },
    // Matches client-c's dev cluster, which no target allows.
    { name: 'dev', clusterSelector: { matchLabels: { env: 'dev' } }, options: ['helm.values.debug: true'] },
  ];
  const targets = [
    {
      name: 'client-a-and-b',
      clusterSelector: { matchExpressions: [{ key: 'client', operator: 'In', values: ['client-a', 'client-b'] }] },
    },
  ];

  it('first match wins: an edge cluster gets only the edge options, though production matches it too', () => {
    const { byCluster, customizations: rules } = placeFleet(targets, customizations, clusters, groups);
    expect(byCluster.get('edge-retail-001')).toEqual({ customization: 'edge', options: ['helm.values.lightweight: true'] });
    expect(byCluster.get('prod-us-east')).toEqual({ customization: 'production', options: ['helm.values.replicas: 3'] });
    expect(byCluster.get('staging')).toEqual({ customization: 'staging', options: ['helm.values.replicas: 1'] });
    expect(rules.find((r) => r.name === 'production')!.clusters).toEqual(['prod-us-east', 'prod-us-west']);
    expect(rules.find((r) => r.name === 'edge')!.selector).toBe('group:edge-clusters');
  });

  it('doNotDeploy skips the cluster the customization applies to', () => {
    const { byCluster, customizations: rules } = placeFleet(targets, customizations, clusters, groups);
    expect(byCluster.has('prod-eu-west')).toBe(false);
    expect(rules.find((r) => r.name === 'no-eu')).toMatchObject({ doNotDeploy: true, clusters: ['prod-eu-west'] });
  });

  it('never adds clusters: a customization matching a cluster no target allows does nothing', () => {
    const { byCluster, customizations: rules, targets: t } = placeFleet(targets, customizations, clusters, groups);
    expect(t[0]!.clusters).not.toContain('c-m-8x2k');
    expect(byCluster.has('c-m-8x2k')).toBe(false);
    expect(rules.find((r) => r.name === 'dev')!.clusters).toEqual([]);
  });

  it('an allowed cluster no customization matches gets the bundle defaults', () => {
    const { byCluster } = placeFleet([{ clusterSelector: {} }], customizations.slice(0, 1), clusters, groups);
    expect(byCluster.get('staging')).toEqual({ options: [] });
  });

  it('every exact selector text parses and selects the same clusters the entry matches', () => {
    const { customizations: rules } = placeFleet([{ clusterSelector: {} }], customizations, clusters, groups);
    rules.forEach((r, i) => {
      expect(() => parseSelector(r.selector)).not.toThrow();
      expect(r.approximate).toBeUndefined();
      expect(ourSelection(r.selector)).toEqual(names(clusters.filter((c) => targetMatches(customizations[i]!, c, groupsFor(c)))));
    });
  });
});

function groupsFor(c: PlacementCluster): PlacementGroup[] {
  return groups.filter((g) => g.selector && Object.entries(g.selector.matchLabels ?? {}).every(([k, v]) => c.labels[k] === v));
}
