import { describe, expect, it } from 'vitest';

import type { Cluster } from '@fleetdeck/shared';

import { diffClusters, violationEventFor, violationFeed, type ClusterViolationChange } from '../../src/events/violation-events.ts';
import { A_ADMIN, A_DEV, B_VIEWER, CLUSTERS, FixedSource, PLATFORM, snapshot, violation } from './violations-fixtures.ts';

const clusterOf = (name: string) => CLUSTERS.find((c) => c.name === name) as Cluster | undefined;
const change = (cluster: string, partial: Partial<ClusterViolationChange> = {}): ClusterViolationChange => ({
  cluster,
  everyone: false,
  wholeOnly: false,
  namespaces: [],
  ...partial,
});

describe('the violation live topic per person', () => {
  it('names only the changed clusters the person sees, and sends nothing when none is theirs', () => {
    const changes = ['b-prod', 'a-prod', 'a-dev', 'unknown-cluster'].map((c) => change(c, { namespaces: ['client-a-web'] }));
    expect(violationEventFor(PLATFORM, changes, clusterOf)).toEqual({ clusters: ['a-dev', 'a-prod', 'b-prod'] });
    expect(violationEventFor(A_ADMIN, changes, clusterOf)).toEqual({ clusters: ['a-dev', 'a-prod'] });
    expect(violationEventFor(A_DEV, changes, clusterOf)).toEqual({ clusters: ['a-dev'] });
    expect(violationEventFor(B_VIEWER, changes, clusterOf)).toEqual({ clusters: ['b-prod'] });
    expect(violationEventFor(B_VIEWER, changes.slice(1, 3), clusterOf)).toBeUndefined();
    expect(violationEventFor({ grants: [] }, changes, clusterOf)).toBeUndefined();
  });

  it('tells a namespace-limited person only of changes in their namespaces or the feed', () => {
    expect(violationEventFor(A_DEV, [change('a-dev', { namespaces: ['kube-system'] })], clusterOf)).toBeUndefined();
    expect(violationEventFor(A_DEV, [change('a-dev', { wholeOnly: true })], clusterOf)).toBeUndefined();
    expect(violationEventFor(A_DEV, [change('a-dev', { everyone: true })], clusterOf)).toEqual({ clusters: ['a-dev'] });
    expect(violationEventFor(A_ADMIN, [change('a-dev', { namespaces: ['kube-system'] })], clusterOf)).toEqual({ clusters: ['a-dev'] });
  });

  it('diffs snapshots into who-may-notice parts', () => {
    const before = snapshot(1);
    const extra = violation({ cluster: 'a-dev' }, 'kube-system');
    const after = { ...before, version: 2, violations: [...before.violations, extra] };
    expect(diffClusters(before, after, ['a-dev', 'a-prod'])).toEqual([change('a-dev', { namespaces: ['kube-system'] })]);
    const stale = {
      ...before,
      version: 3,
      feeds: before.feeds.map((f) => (f.cluster === 'b-prod' ? { ...f, state: 'stale' as const } : f)),
    };
    expect(diffClusters(before, stale, ['b-prod'])).toEqual([change('b-prod', { everyone: true })]);
    const noCoverage = { ...before, version: 4, coverage: [] };
    expect(diffClusters(before, noCoverage, ['a-prod'])).toEqual([change('a-prod', { wholeOnly: true })]);
    expect(diffClusters(before, { ...before, version: 5 }, ['a-prod'])).toEqual([]);
  });

  it('feeds the hub only changes that changed something', () => {
    const base = snapshot(1);
    const source = new FixedSource(base);
    const heard: ClusterViolationChange[][] = [];
    const stop = violationFeed(source).onChange((c) => heard.push([...c]));
    source.replace({ ...base, version: 2 }, ['a-prod']);
    const fixed = base.violations.filter((v) => v.cluster !== 'a-dev' || v.resource.namespace !== 'client-a-web');
    source.replace({ ...base, version: 3, violations: fixed }, ['a-dev']);
    stop();
    expect(heard).toEqual([[change('a-dev', { namespaces: ['client-a-web'] })]]);
  });
});
