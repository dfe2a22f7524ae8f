import { KubeConfig } from '@kubernetes/client-node';

import { compileGlob, type Cluster, type ClusterWorkloads, type Principal, type Scope } from '@fleetdeck/shared';

import { namespacePatterns } from '../../access/scope-checks.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { ImpersonatingClient, UpstreamFailure, type CallLimits } from '../kube/impersonating-client.ts';

/** A member cluster did not answer usably. `message` is safe to show; the cause (addresses, TLS details) is for the log. */
export class SpokeUnavailable extends Error {
  override name = 'SpokeUnavailable';
}

interface PodList {
  metadata?: { continue?: string };
  items: { status?: { phase?: string } }[];
}

export interface SpokeOptions {
  limits?: Partial<CallLimits>;
  /** How long one person's workload counts of one cluster are reused (a page and its refetches). */
  cacheMs?: number;
  /** Pods listed per page; pages are read until the list ends or `maxPages`. */
  pageSize?: number;
  maxPages?: number;
}

const unavailable = (cluster: string, err: unknown) =>
  new SpokeUnavailable(err instanceof UpstreamFailure ? `${cluster} is not answering (${err.message})` : `${cluster} is not answering`, {
    cause: err,
  });

/**
 * Per-cluster drill-down, read from that cluster's API server as the person
 * (impersonated), so its RBAC is the second wall. Only namespace names are read with
 * the BFF's own identity, to know which namespaces the person's patterns cover.
 */
export class Spokes {
  readonly #clients = new Map<string, ImpersonatingClient>();
  readonly #workloads: TtlCache<Promise<ClusterWorkloads>>;
  readonly #pageSize: number;
  readonly #maxPages: number;

  constructor(kubeconfigs: Record<string, string>, options: SpokeOptions = {}) {
    for (const [cluster, path] of Object.entries(kubeconfigs)) {
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      this.#clients.set(cluster, new ImpersonatingClient(kc, options.limits));
    }
    this.#workloads = new TtlCache(options.cacheMs ?? 10_000, 1000);
    this.#pageSize = options.pageSize ?? 500;
    this.#maxPages = options.maxPages ?? 100;
  }

  has(cluster: string): boolean {
    return this.#clients.has(cluster);
  }

  /** Namespace names (read with the BFF's own identity) that the person's patterns cover. */
  async #allowedNamespaces(client: ImpersonatingClient, cluster: Cluster, scope: Scope): Promise<string[]> {
    let ns: { status: number; body: { items: { metadata: { name: string } }[] } };
    try {
      ns = await client.requestAsSelf<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces');
    } catch (err) {
      throw unavailable(cluster.name, err);
    }
    if (ns.status !== 200) throw new SpokeUnavailable(`${cluster.name} answered ${ns.status} listing namespaces`);
    const patterns = namespacePatterns(scope, cluster);
    const matchers = patterns === '*' ? undefined : patterns.map(compileGlob);
    return ns.body.items
      .map((n) => n.metadata.name)
      .filter((n) => !matchers || matchers.some((m) => m(n)))
      .sort();
  }

  /**
   * Namespaces and pod counts as this person may see them. Pods are listed page by page
   * (`limit`/`continue`), so a namespace with 50,000 pods is never one answer in memory;
   * one person's counts of one cluster are reused for a few seconds.
   */
  workloads(cluster: Cluster, principal: Principal, scope: Scope): Promise<ClusterWorkloads> {
    const key = JSON.stringify([cluster.name, principal.user, principal.groups]);
    return this.#workloads.getOrCompute(key, () => this.#readWorkloads(cluster, principal, scope));
  }

  async #readWorkloads(cluster: Cluster, principal: Principal, scope: Scope): Promise<ClusterWorkloads> {
    const client = this.#clients.get(cluster.name);
    if (!client) throw new SpokeUnavailable(`no connection to ${cluster.name} is configured`);
    const allowed = await this.#allowedNamespaces(client, cluster, scope);
    const namespaces: ClusterWorkloads['namespaces'] = [];
    const forbidden: string[] = [];
    await Promise.all(
      allowed.map(async (namespace) => {
        const count = { running: 0, pending: 0, failed: 0, other: 0 };
        let next: string | undefined;
        for (let page = 0; page < this.#maxPages; page++) {
          const query = new URLSearchParams({ limit: String(this.#pageSize), ...(next && { continue: next }) });
          let pods: { status: number; body: PodList };
          try {
            pods = await client.request<PodList>(
              principal,
              'GET',
              `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${query.toString()}`,
            );
          } catch (err) {
            throw unavailable(cluster.name, err);
          }
          if (pods.status === 403) return void forbidden.push(namespace);
          if (pods.status !== 200) throw new SpokeUnavailable(`${cluster.name} answered ${pods.status} listing pods`);
          for (const p of pods.body.items) {
            const phase = p.status?.phase;
            if (phase === 'Running') count.running++;
            else if (phase === 'Pending') count.pending++;
            else if (phase === 'Failed') count.failed++;
            else count.other++;
          }
          next = pods.body.metadata?.continue;
          if (!next) break;
        }
        namespaces.push({ namespace, pods: count });
      }),
    );
    namespaces.sort((a, b) => a.namespace.localeCompare(b.namespace));
    return { cluster: cluster.name, namespaces, forbidden: forbidden.sort() };
  }
}
