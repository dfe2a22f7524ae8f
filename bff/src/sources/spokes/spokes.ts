import { KubeConfig } from '@kubernetes/client-node';

import {
  globToRegExp,
  type AnyOrList,
  type Cluster,
  type ClusterViolations,
  type ClusterWorkloads,
  type Principal,
  type Scope,
} from '@fleetdeck/shared';

import { ImpersonatingClient } from '../kube/impersonating-client.ts';
import { readViolations } from './spoke-violations.ts';

/** The namespace patterns a person's grants allow on this cluster ("*" wins). */
export function namespacePatterns(scope: Scope, cluster: Pick<Cluster, 'tenant' | 'environment'>): AnyOrList {
  const patterns = new Set<string>();
  for (const g of scope.grants) {
    const covers = (list: AnyOrList, v: string) => list === '*' || list.includes(v);
    if (!g.verbs.includes('view') || !covers(g.tenants, cluster.tenant) || !covers(g.environments, cluster.environment)) continue;
    if (g.namespaces === '*') return '*';
    for (const n of g.namespaces) patterns.add(n);
  }
  return [...patterns];
}

export class SpokeUnavailable extends Error {
  override name = 'SpokeUnavailable';
}

interface PodList {
  items: { metadata: { namespace: string }; status?: { phase?: string } }[];
}

/**
 * Per-cluster drill-down, read from that cluster's API server as the person
 * (impersonated), so its RBAC is the second wall. Only namespace names are read with
 * the BFF's own identity, to know which namespaces the person's patterns cover.
 */
export class SpokeWorkloads {
  readonly #clients = new Map<string, ImpersonatingClient>();

  constructor(kubeconfigs: Record<string, string>) {
    for (const [cluster, path] of Object.entries(kubeconfigs)) {
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      this.#clients.set(cluster, new ImpersonatingClient(kc));
    }
  }

  has(cluster: string): boolean {
    return this.#clients.has(cluster);
  }

  async violations(cluster: Cluster, principal: Principal, scope: Scope): Promise<ClusterViolations> {
    const client = this.#clients.get(cluster.name);
    if (!client) throw new SpokeUnavailable(`no connection to ${cluster.name} is configured`);
    const everywhere = namespacePatterns(scope, cluster) === '*';
    const allowed = everywhere ? '*' : await this.#allowedNamespaces(client, cluster, scope);
    try {
      return await readViolations(client, cluster, principal, allowed);
    } catch (err) {
      throw new SpokeUnavailable(`${cluster.name} is not answering (${(err as Error).message})`);
    }
  }

  /** Namespace names (read with the BFF's own identity) that the person's patterns cover. */
  async #allowedNamespaces(client: ImpersonatingClient, cluster: Cluster, scope: Scope): Promise<string[]> {
    let ns: { status: number; body: { items: { metadata: { name: string } }[] } };
    try {
      ns = await client.requestAsSelf<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces');
    } catch (err) {
      throw new SpokeUnavailable(`${cluster.name} is not answering (${(err as Error).message})`);
    }
    if (ns.status !== 200) throw new SpokeUnavailable(`${cluster.name} answered ${ns.status} listing namespaces`);
    const patterns = namespacePatterns(scope, cluster);
    return ns.body.items
      .map((n) => n.metadata.name)
      .filter((n) => patterns === '*' || patterns.some((p) => globToRegExp(p).test(n)))
      .sort();
  }

  async workloads(cluster: Cluster, principal: Principal, scope: Scope): Promise<ClusterWorkloads> {
    const client = this.#clients.get(cluster.name);
    if (!client) throw new SpokeUnavailable(`no connection to ${cluster.name} is configured`);
    const call = async <T>(fn: () => Promise<{ status: number; body: T }>) => {
      try {
        return await fn();
      } catch (err) {
        throw new SpokeUnavailable(`${cluster.name} is not answering (${(err as Error).message})`);
      }
    };
    const allowed = await this.#allowedNamespaces(client, cluster, scope);
    const namespaces: ClusterWorkloads['namespaces'] = [];
    const forbidden: string[] = [];
    await Promise.all(
      allowed.map(async (namespace) => {
        const pods = await call(() =>
          client.request<PodList>(principal, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`),
        );
        if (pods.status === 403) return void forbidden.push(namespace);
        if (pods.status !== 200) throw new SpokeUnavailable(`${cluster.name} answered ${pods.status} listing pods`);
        const count = { running: 0, pending: 0, failed: 0, other: 0 };
        for (const p of pods.body.items) {
          const phase = p.status?.phase;
          if (phase === 'Running') count.running++;
          else if (phase === 'Pending') count.pending++;
          else if (phase === 'Failed') count.failed++;
          else count.other++;
        }
        namespaces.push({ namespace, pods: count });
      }),
    );
    namespaces.sort((a, b) => a.namespace.localeCompare(b.namespace));
    return { cluster: cluster.name, namespaces, forbidden: forbidden.sort() };
  }
}
