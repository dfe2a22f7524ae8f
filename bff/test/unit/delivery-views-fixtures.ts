import { deliveryId, type DeliveryTarget, type PartialError, type Scope } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { argoStatus, fleetStatus, repoProblem } from '../../src/domain/delivery-state.ts';
import type { SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';
import type { DeliveryStore } from '../../src/access/deliveries/delivery-views.ts';

/** client-a: prod and dev; client-b: prod (the hidden tenant in most tests). */
export const CLUSTERS = [
  { name: 'a-prod', tenant: 'client-a', environment: 'production' },
  { name: 'a-dev', tenant: 'client-a', environment: 'dev' },
  { name: 'b-prod', tenant: 'client-b', environment: 'production' },
] as const;

const groupsOf: Record<string, string[]> = {
  platform: ['fleet-platform-admins'],
  aAdmin: ['tenant-client-a-admins'],
  aDev: ['tenant-client-a-developers'],
  bViewer: ['tenant-client-b-viewers'],
  fleetViewer: ['fleet-viewers'],
};
const scope = (who: string): Scope => resolveScope({ user: `${who}@test`, groups: groupsOf[who]! }, DEFAULT_ACCESS_POLICY);
export const PLATFORM = scope('platform');
export const A_ADMIN = scope('aAdmin');
export const A_DEV = scope('aDev');
export const B_VIEWER = scope('bViewer');
export const FLEET_VIEWER = scope('fleetViewer');

export function fleetTarget(
  cluster: string,
  state: Parameters<typeof fleetStatus>[0],
  extra: Partial<DeliveryTarget> = {},
): DeliveryTarget {
  return { cluster, status: fleetStatus(state), fleetState: state, paused: false, resources: [], ...extra };
}

export function gitRepo(name: string, targets: DeliveryTarget[], extra: Partial<SourceDelivery> = {}): SourceDelivery {
  return {
    id: deliveryId('fleet', 'fleet-default', name),
    engine: 'fleet',
    name,
    namespace: 'fleet-default',
    labels: {},
    repo: `https://git.example.com/${name}.git`,
    branch: 'main',
    paths: ['.'],
    renderedCommit: 'abc1234',
    paused: false,
    fleet: { gitJob: 'Current', forceSyncGeneration: 1, bundles: 1, correctDrift: false },
    targets,
    ...extra,
  };
}

export function argoApp(
  name: string,
  cluster: string | undefined,
  namespace: string,
  sync: 'Synced' | 'OutOfSync' = 'Synced',
  health: 'Healthy' | 'Degraded' | 'Progressing' = 'Healthy',
  extra: Partial<SourceDelivery> = {},
): SourceDelivery {
  const status = argoStatus(sync, health);
  return {
    id: deliveryId('argocd', 'argocd', name),
    engine: 'argocd',
    name,
    namespace: 'argocd',
    labels: { env: cluster?.includes('prod') ? 'production' : 'dev' },
    repo: `https://git.example.com/${name}.git`,
    revision: 'HEAD',
    paths: ['deploy'],
    paused: false,
    argocd: {
      project: 'default',
      sync,
      health,
      syncPending: false,
      destination: { namespace, ...(cluster && { name: cluster }) },
      unmapped: cluster === undefined,
      automated: false,
    },
    targets: cluster ? [{ cluster, status, sync, health, paused: false, resources: [] }] : [],
    ...(cluster !== undefined && { destinationCluster: cluster }),
    destinationNamespace: namespace,
    ...extra,
  };
}

/** core-stack reaches all three clusters; b-only only client-b's; the apps one cluster each. */
export function deliveries(): SourceDelivery[] {
  return [
    gitRepo(
      'core-stack',
      [
        fleetTarget('a-prod', 'Ready', { lastSyncAt: '2026-01-01T10:00:00Z' }),
        fleetTarget('a-dev', 'Modified', {
          message: 'drift in client-a-web and kube-system',
          resources: [
            { kind: 'Deployment', namespace: 'client-a-web', name: 'web', state: 'Modified' },
            { kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns', state: 'Modified' },
            { kind: 'ClusterRole', name: 'x', state: 'Modified' },
          ],
          resourcesCut: 4,
        }),
        fleetTarget('b-prod', 'ErrApplied', { lastSyncAt: '2026-01-02T10:00:00Z', message: 'b-prod secret broke' }),
      ],
      {
        tenant: undefined,
        labels: { tier: 'platform' },
        placement: {
          targets: [
            { name: 'prod', selector: 'env=production', clusters: ['a-prod', 'b-prod'] },
            { name: 'b-only', selector: 'name=b-prod', clusters: ['b-prod'] },
          ],
          customizations: [
            {
              name: 'prod-replicas',
              selector: 'env=production',
              options: ['replicas: 3'],
              doNotDeploy: false,
              clusters: ['a-prod', 'b-prod'],
            },
          ],
        },
      },
    ),
    gitRepo('b-only', [fleetTarget('b-prod', 'Ready')], { tenant: 'client-b' }),
    gitRepo('nowhere', [], { tenant: undefined, repoStatus: repoProblem('git job failed') }),
    argoApp('a-web-prod', 'a-prod', 'client-a-web', 'OutOfSync', 'Healthy', { tenant: 'client-a' }),
    argoApp('a-web-dev', 'a-dev', 'client-a-web', 'Synced', 'Healthy', { tenant: 'client-a' }),
    argoApp('a-sys-dev', 'a-dev', 'kube-system', 'Synced', 'Degraded', { tenant: 'client-a' }),
    argoApp('b-api', 'b-prod', 'client-b-api', 'Synced', 'Degraded', { tenant: 'client-b' }),
    argoApp('lost', undefined, 'default', 'Synced', 'Healthy', { tenant: undefined }),
  ];
}

/** A store over a fixed list whose version moves when `set` replaces it. */
export class FixedStore implements DeliveryStore {
  version = 1;
  #list: SourceDelivery[];
  #errors: PartialError[];
  constructor(list: SourceDelivery[] = deliveries(), errors: PartialError[] = []) {
    this.#list = list;
    this.#errors = errors;
  }
  set(list: SourceDelivery[]): void {
    this.#list = list;
    this.version++;
  }
  list(): readonly SourceDelivery[] {
    return this.#list;
  }
  get(id: string): SourceDelivery | undefined {
    return this.#list.find((d) => d.id === id);
  }
  errors(): PartialError[] {
    return this.#errors;
  }
}
