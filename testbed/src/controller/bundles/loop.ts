import { KubeClient, type KubeTarget } from '../../kube/client.ts';
import { putIfUnchanged, startLoop, type List, type Log } from '../kube-io.ts';
import { reconcileBundle, type DeploymentChange } from './rollout.ts';
import { deploymentState, worstState, type DeploymentState } from './summary.ts';
import { LABEL_BUNDLE, LABEL_BUNDLE_NS, LABEL_COMMIT, LABEL_REPO, type Bundle, type BundleDeployment, type Meta } from './types.ts';
import type { LabelSelector } from '../selectors.ts';

/**
 * The loop of the testbed's Rancher Fleet stand-in (simulates Fleet's controller and
 * agents for tests; not part of Fleetdeck): every tick it reads Fleet Clusters,
 * ClusterGroups, GitRepos, Bundles and BundleDeployments from the real hub API server and
 * writes what `reconcileBundle` decides, each write with the resourceVersion it read.
 */
const F = '/apis/fleet.cattle.io/v1alpha1';

interface GitRepo {
  metadata: Meta & { namespace: string };
  spec: { paused?: boolean };
  status?: { commit?: string; [k: string]: unknown };
}

export interface BundleControllerOptions {
  target: KubeTarget;
  secondsPerCluster: number;
  intervalMs?: number;
  failClusters?: ReadonlySet<string>;
  log?: Log;
}

const bdPath = (bd: BundleDeployment) => `${F}/namespaces/${bd.metadata.namespace}/bundledeployments/${bd.metadata.name}`;

async function writeDeployment(client: KubeClient, change: DeploymentChange): Promise<number> {
  const { next } = change;
  const { status, ...withoutStatus } = next;
  let rv = next.metadata.resourceVersion;
  if (change.create) {
    const res = await client.request<BundleDeployment>('POST', `${F}/namespaces/${next.metadata.namespace}/bundledeployments`, {
      body: withoutStatus,
    });
    if (res.status === 409) return 0;
    if (res.status !== 201) throw new Error(`creating ${bdPath(next)}: ${res.status} ${res.text.slice(0, 300)}`);
    rv = res.body.metadata.resourceVersion;
  } else if (change.specChanged) {
    const res = await client.request<BundleDeployment>('PUT', bdPath(next), { body: withoutStatus });
    if (res.status === 409 || res.status === 404) return 0;
    if (res.status !== 200) throw new Error(`PUT ${bdPath(next)}: ${res.status} ${res.text.slice(0, 300)}`);
    rv = res.body.metadata.resourceVersion;
  }
  if (!change.statusChanged && !change.create) return 1;
  const body = { ...withoutStatus, metadata: { ...next.metadata, resourceVersion: rv }, status };
  return (await putIfUnchanged(client, `${bdPath(next)}/status`, body)) === 'ok' ? 1 : 0;
}

export async function reconcileFleetOnce(client: KubeClient, opts: BundleControllerOptions): Promise<number> {
  const get = async <T>(plural: string) => (await client.expectOk<List<T>>('GET', `${F}/${plural}`)).items;
  type ClusterObj = { metadata: Meta & { namespace: string }; spec?: { paused?: boolean }; status?: { namespace?: string } };
  const [clusterObjs, groupObjs, repos, bundles, deployments] = await Promise.all([
    get<ClusterObj>('clusters'),
    get<{ metadata: Meta & { namespace: string }; spec?: { selector?: LabelSelector } }>('clustergroups'),
    get<GitRepo>('gitrepos'),
    get<Bundle>('bundles'),
    get<BundleDeployment>('bundledeployments'),
  ]);
  const clusters = clusterObjs.map((c) => ({
    name: c.metadata.name,
    namespace: c.metadata.namespace,
    deploymentNamespace: c.status?.namespace ?? `cluster-${c.metadata.namespace}-${c.metadata.name}`,
    labels: c.metadata.labels ?? {},
    paused: !!c.spec?.paused,
  }));
  const groups = groupObjs.map((g) => ({
    name: g.metadata.name,
    namespace: g.metadata.namespace,
    ...(g.spec?.selector && { selector: g.spec.selector }),
  }));
  let writes = 0;
  const repoStates = new Map<string, { cluster: string; state: DeploymentState }[]>();
  for (const bundle of bundles) {
    const repoName = bundle.metadata.labels?.[LABEL_REPO];
    const repo = repos.find((r) => r.metadata.namespace === bundle.metadata.namespace && r.metadata.name === repoName);
    let result: ReturnType<typeof reconcileBundle>;
    try {
      result = reconcileBundle({
        bundle,
        ...(repo?.status?.commit && { commit: repo.status.commit }),
        repoPaused: !!repo?.spec.paused,
        deployments: deployments.filter(
          (bd) =>
            bd.metadata.labels?.[LABEL_BUNDLE] === bundle.metadata.name &&
            bd.metadata.labels[LABEL_BUNDLE_NS] === bundle.metadata.namespace,
        ),
        clusters,
        groups,
        now: new Date(),
        secondsPerCluster: opts.secondsPerCluster,
        ...(opts.failClusters && { failClusters: opts.failClusters }),
      });
    } catch (err) {
      // Like Fleet, a bundle with an invalid rollout limit fails alone; the others go on.
      opts.log?.('bundle reconcile failed', { bundle: bundle.metadata.name, error: (err as Error).message });
      continue;
    }
    for (const change of result.deployments) {
      if (!change.create && !change.specChanged && !change.statusChanged) continue;
      try {
        writes += await writeDeployment(client, change);
      } catch (err) {
        opts.log?.('bundle deployment write failed', { bundle: bundle.metadata.name, error: (err as Error).message });
      }
    }
    if (repoName) {
      const list = repoStates.get(`${bundle.metadata.namespace}/${repoName}`) ?? [];
      for (const c of result.deployments)
        list.push({ cluster: c.next.metadata.labels?.['fleet.cattle.io/cluster'] ?? '', state: deploymentState(c.next) });
      repoStates.set(`${bundle.metadata.namespace}/${repoName}`, list);
    }
    const path = `${F}/namespaces/${bundle.metadata.namespace}/bundles/${bundle.metadata.name}`;
    let current = bundle;
    const commit = repo?.status?.commit;
    if (commit && bundle.metadata.labels?.[LABEL_COMMIT] !== commit) {
      // Fleet renders the repo's commit into the bundle's label.
      const res = await client.request<Bundle>('PUT', path, {
        body: { ...bundle, metadata: { ...bundle.metadata, labels: { ...bundle.metadata.labels, [LABEL_COMMIT]: commit } } },
      });
      if (res.status !== 200) continue;
      current = res.body;
    }
    if (current !== bundle || JSON.stringify(bundle.status ?? {}) !== JSON.stringify(result.status)) {
      if ((await putIfUnchanged(client, `${path}/status`, { ...current, status: result.status })) === 'ok') writes++;
    }
  }
  for (const repo of repos) {
    const states = repoStates.get(`${repo.metadata.namespace}/${repo.metadata.name}`) ?? [];
    const byCluster = new Map<string, DeploymentState[]>();
    for (const s of states) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s.state]);
    const ready = states.filter((s) => s.state === 'Ready').length;
    const worst = worstState(states.map((s) => s.state));
    const status = {
      ...repo.status,
      readyClusters: [...byCluster.values()].filter((l) => l.every((s) => s === 'Ready')).length,
      desiredReadyClusters: byCluster.size,
      display: { readyBundleDeployments: `${ready}/${states.length}`, state: worst === 'Ready' ? '' : worst },
      gitJobStatus: 'Current',
    };
    if (JSON.stringify(status) === JSON.stringify(repo.status ?? {})) continue;
    const path = `${F}/namespaces/${repo.metadata.namespace}/gitrepos/${repo.metadata.name}/status`;
    if ((await putIfUnchanged(client, path, { ...repo, status })) === 'ok') writes++;
  }
  return writes;
}

export function startBundleController(opts: BundleControllerOptions): { stop(): Promise<void> } {
  const client = new KubeClient(opts.target);
  return startLoop('rancher-fleet', () => reconcileFleetOnce(client, opts), opts.intervalMs ?? 500, opts.log);
}
