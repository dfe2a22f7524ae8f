import { deliveryId, type Cluster, type DeliveryTarget, type FleetBundleState } from '@fleetdeck/shared';

import { argoStatus, fleetStatus } from '../../bff/src/domain/delivery-state.ts';
import type { DeliverySource, SourceDelivery } from '../../bff/src/sources/gitops/delivery-source.ts';

/** The gitops bench's synthetic deliveries at the source seam: GitRepos reaching every cluster, and Argo CD apps spread over them. */
export const REPOS = 20;
export const APPS = 5000;
const STATES: readonly FleetBundleState[] = [
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'Modified',
  'NotReady',
  'ErrApplied',
  'OutOfSync',
];

function repos(clusters: readonly Cluster[], turn: number): SourceDelivery[] {
  return Array.from({ length: REPOS }, (_, r) => repo(clusters, turn, r));
}

function repo(clusters: readonly Cluster[], turn: number, r: number): SourceDelivery {
  {
    const targets: DeliveryTarget[] = clusters.map((c, i) => {
      const state = STATES[(i + r + turn) % STATES.length]!;
      return {
        cluster: c.name,
        status: fleetStatus(state),
        fleetState: state,
        appliedCommit: `c0ffee${r}`,
        lastSyncAt: new Date(Date.UTC(2026, 10, 26, 0, (i + r) % 1440)).toISOString(),
        paused: false,
        resources:
          state === 'Ready' ? [] : [{ kind: 'Deployment', namespace: `${c.tenant}-app`, name: `svc-${r}`, state, message: 'not ready' }],
        bundles: 1,
      };
    });
    return {
      id: deliveryId('fleet', 'fleet-default', `repo-${r}`),
      engine: 'fleet' as const,
      name: `repo-${r}`,
      namespace: 'fleet-default',
      labels: { team: `t${r % 4}` },
      repo: `https://git.example.com/repo-${r}.git`,
      branch: 'main',
      paths: ['.'],
      renderedCommit: `c0ffee${r}`,
      paused: false,
      fleet: { gitJob: 'Current' as const, forceSyncGeneration: 1, bundles: 1, correctDrift: false },
      targets,
    };
  }
}

function apps(clusters: readonly Cluster[]): SourceDelivery[] {
  return Array.from({ length: APPS }, (_, i) => {
    const c = clusters[i % clusters.length]!;
    const sync = i % 7 === 0 ? ('OutOfSync' as const) : ('Synced' as const);
    const health = i % 11 === 0 ? ('Degraded' as const) : ('Healthy' as const);
    const ns = `${c.tenant}-app-${i % 5}`;
    return {
      id: deliveryId('argocd', 'argocd', `app-${i}`),
      engine: 'argocd' as const,
      name: `app-${i}`,
      namespace: 'argocd',
      tenant: c.tenant,
      labels: { env: c.environment },
      repo: 'https://git.example.com/apps.git',
      revision: 'HEAD',
      paths: [`apps/${i}`],
      paused: false,
      argocd: {
        project: c.tenant,
        sync,
        health,
        syncPending: false,
        destination: { name: c.name, namespace: ns },
        unmapped: false,
        automated: true,
      },
      targets: [{ cluster: c.name, status: argoStatus(sync, health), sync, health, paused: false, resources: [] }],
      destinationCluster: c.name,
      destinationNamespace: ns,
    };
  });
}

/** The source seam: everything in memory as a source keeps it; `change()` replaces one GitRepo (a new version: no cached answer). */
export class BenchSource implements DeliverySource {
  readonly engines = ['fleet', 'argocd'] as const;
  readonly actions = {};
  #byId = new Map<string, SourceDelivery>();
  #list: SourceDelivery[] = [];
  #listeners = new Set<(ids: readonly string[]) => void>();
  #turn = 0;
  #clusters: readonly Cluster[] = [];
  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  list = () => this.#list;
  get = (id: string) => this.#byId.get(id);
  errors = () => [];
  onChange(l: (ids: readonly string[]) => void) {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
  load(clusters: readonly Cluster[]): void {
    this.#clusters = clusters;
    this.#set([...repos(clusters, 0), ...apps(clusters)]);
  }
  change(): void {
    const r = repo(this.#clusters, ++this.#turn, this.#turn % REPOS);
    this.#list = this.#list.with(
      this.#list.findIndex((d) => d.id === r.id),
      r,
    );
    this.#byId.set(r.id, r);
    for (const l of this.#listeners) l([r.id]);
  }
  #set(list: SourceDelivery[], ids = list.map((d) => d.id)): void {
    this.#list = list;
    this.#byId = new Map(list.map((d) => [d.id, d]));
    for (const l of this.#listeners) l(ids);
  }
}
