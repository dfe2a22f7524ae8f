import type { Cluster } from '@fleetdeck/shared';

import type { KubeClient } from '../../testbed/src/kube/client.ts';
import { REPOS } from './gitops-synthetic.ts';

/** The hub's objects for the naive way: GitRepos, one Bundle each, a BundleDeployment per repo × cluster, and the apps. */
export function hubSeed(clusters: readonly Cluster[], apps: number) {
  const F = 'fleet.cattle.io/v1alpha1';
  const ns = (name: string) => ({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  const objects = [ns('fleet-bench'), ns('fleet-bench-bd'), ns('argocd')];
  for (let r = 0; r < REPOS; r++) {
    const name = `bench-repo-${r}`;
    objects.push({
      object: {
        apiVersion: F,
        kind: 'GitRepo',
        metadata: { name, namespace: 'fleet-bench' },
        spec: { repo: `https://git.example.com/${name}.git`, branch: 'main' },
      },
    } as never);
    objects.push({
      object: {
        apiVersion: F,
        kind: 'Bundle',
        metadata: { name, namespace: 'fleet-bench', labels: { 'fleet.cattle.io/repo-name': name } },
        spec: {},
      },
    } as never);
    for (const c of clusters)
      objects.push({
        object: {
          apiVersion: F,
          kind: 'BundleDeployment',
          metadata: {
            name: `${name}-${c.name}`,
            namespace: 'fleet-bench-bd',
            labels: { 'fleet.cattle.io/bundle-name': name, 'fleet.cattle.io/cluster': c.name, 'fleet.cattle.io/commit': 'c0ffee' },
          },
          spec: { deploymentID: 'x', stagedDeploymentID: 'x' },
        },
      } as never);
  }
  for (let i = 0; i < apps; i++) {
    const c = clusters[i % clusters.length]!;
    objects.push({
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `bench-app-${i}`, namespace: 'argocd', labels: { env: c.environment } },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.com/apps.git', path: `apps/${i}` },
          destination: { name: c.name, namespace: `${c.tenant}-app-${i % 5}` },
        },
      },
    } as never);
  }
  return objects;
}

type Obj = { metadata: { name: string; labels?: Record<string, string> }; spec?: { destination?: { name?: string } } };
export async function listAll(client: KubeClient, path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  let cont: string | undefined;
  do {
    const res = await client.request<{ items: Obj[]; metadata: { continue?: string } }>(
      'GET',
      `${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
    );
    out.push(...res.body.items);
    cont = res.body.metadata.continue || undefined;
  } while (cont);
  return out;
}
