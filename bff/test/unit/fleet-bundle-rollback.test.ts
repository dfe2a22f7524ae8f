import { describe, expect, it } from 'vitest';

import { gitRepo as repoObject } from './fleet-bundle-fixtures.ts';
import { bundle, CLUSTERS, deployment, EDGE_GROUP, type Phase } from './fleet-bundle-fixtures.ts';
import { pinGitRepo, unpinGitRepo, type GitRepoDocument } from '../../src/sources/rancher/bundles/gitrepo-pin.ts';
import { mapBundle } from '../../src/sources/rancher/bundles/map-bundle.ts';
import {
  bundleDeploymentView,
  bundleView,
  clusterGroupView,
  fleetClusterView,
  gitRepoView,
} from '../../src/sources/rancher/bundles/reduce-objects.ts';

function map(phases: Record<string, Phase>, repo: Parameters<typeof repoObject>[0] | null = {}) {
  return mapBundle({
    bundle: bundleView(bundle())!,
    deployments: Object.entries(phases).map(([c, p]) => bundleDeploymentView(deployment(c, p))!),
    gitRepo: repo === null ? undefined : gitRepoView(repoObject(repo)),
    clusters: CLUSTERS.map((c) => fleetClusterView(c)!),
    groups: [clusterGroupView(EDGE_GROUP)!],
  });
}

describe('roll back plan and pinned state of a Fleet bundle', () => {
  it('pins the GitRepo to the commit clusters still run, naming the branch it clears', () => {
    const r = map({ 'canary-1': 'done', 'edge-1': 'held', 'edge-2': 'applying', 'prod-1': 'held' });
    expect(r.rollback).toEqual({
      toRevision: 'c1',
      fromRevision: 'c2',
      clusters: ['canary-1', 'edge-1', 'edge-2', 'prod-1'],
      hiddenClusters: 0,
      note: 'Pins GitRepo cve-repo to c1 (clears branch main; new pushes are not deployed until you unpin)',
    });
    expect(r.pinned).toBeUndefined();
  });

  it('falls back to the previous commit Fleetdeck keeps on the GitRepo once every cluster moved on', () => {
    const done = { 'canary-1': 'done', 'edge-1': 'done' } as const;
    expect(map(done).rollback).toBeUndefined();
    const r = map(done, { annotations: { 'fleetdeck.dev/previous-commit': 'c0' } });
    expect(r.rollback).toMatchObject({ toRevision: 'c0', fromRevision: 'c2' });
    // The annotation naming the current commit is no earlier commit.
    expect(map(done, { annotations: { 'fleetdeck.dev/previous-commit': 'c2' } }).rollback).toBeUndefined();
  });

  it('offers no plan for a bundle without a GitRepo (nothing to pin)', () => {
    expect(map({ 'edge-1': 'held' }, null).rollback).toBeUndefined();
  });

  it('is pinned when Fleetdeck kept the branch and a revision is set; unpin, not another roll back, undoes it', () => {
    const r = map(
      { 'edge-1': 'done', 'edge-2': 'held' },
      {
        branch: undefined,
        revision: 'c1',
        commit: 'c1',
        annotations: { 'fleetdeck.dev/pinned-from-branch': 'main' },
      },
    );
    expect(r.pinned).toEqual({ revision: 'c1', branch: 'main' });
    expect(r.rollback).toBeUndefined();
    // Pinned by hand (no annotation): not Fleetdeck's pin.
    expect(map({ 'edge-1': 'done' }, { branch: undefined, revision: 'c1' }).pinned).toBeUndefined();
    // Pinned from no branch at all.
    const bare = map({ 'edge-1': 'done' }, { branch: undefined, revision: 'c1', annotations: { 'fleetdeck.dev/pinned-from-branch': '' } });
    expect(bare.pinned).toEqual({ revision: 'c1' });
  });
});

describe('pinGitRepo / unpinGitRepo', () => {
  const repo: GitRepoDocument = {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'GitRepo',
    metadata: { name: 'cve-repo', resourceVersion: '42', annotations: { keep: 'me' } },
    spec: { repo: 'https://git.example/r', branch: 'main', paths: ['patch'] },
  };

  it('sets the revision, clears the branch (Fleet ignores revision while one is set) and keeps it in the annotation', () => {
    const pinned = pinGitRepo(repo, 'c1')!;
    expect(pinned).toEqual({
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'GitRepo',
      metadata: { name: 'cve-repo', resourceVersion: '42', annotations: { keep: 'me', 'fleetdeck.dev/pinned-from-branch': 'main' } },
      spec: { repo: 'https://git.example/r', paths: ['patch'], revision: 'c1' },
    });
    expect(pinGitRepo(pinned, 'c1')).toBeUndefined();
    // Pinning again elsewhere keeps the branch the first pin saved.
    expect(pinGitRepo(pinned, 'c0')!.metadata!.annotations!['fleetdeck.dev/pinned-from-branch']).toBe('main');
  });

  it('restores the branch, clears the revision and drops the annotation; a GitRepo Fleetdeck did not pin is left alone', () => {
    const back = unpinGitRepo(pinGitRepo(repo, 'c1')!)!;
    expect(back).toEqual(repo);
    expect(unpinGitRepo(repo)).toBeUndefined();
    const noBranch = { ...repo, spec: { repo: 'https://git.example/r' } };
    expect(unpinGitRepo(pinGitRepo(noBranch, 'c1')!)).toEqual({ ...noBranch, metadata: { ...repo.metadata, annotations: { keep: 'me' } } });
  });
});
