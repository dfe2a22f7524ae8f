import { deliveryId, type ArgoHealthStatus, type ArgoSyncStatus, type Cluster, type DeliveryResource } from '@fleetdeck/shared';

import { commitOf, fraction, HOUR, MINUTE } from './demo-git.ts';
import type { AppState } from './demo-state.ts';

/** Where Argo CD keeps its Applications on the hub. */
export const ARGOCD_NAMESPACE = 'argocd';

interface AppSpec {
  name: string;
  cluster: Cluster;
  applicationSet?: string;
  repo: string;
  path: string;
  targetRevision: string;
  destNamespace: string;
  automated: boolean;
  sync?: ArgoSyncStatus;
  health?: ArgoHealthStatus;
  message?: string;
  resources?: DeliveryResource[];
  /** Its last sync failed with this message (and every sync fails so until Git is fixed). */
  failure?: string;
  /** Health once a sync finishes (default Healthy): a crash-looping app stays Degraded. */
  healthAfterSync?: ArgoHealthStatus;
}

const rolloutWait = (ns: string, name: string): DeliveryResource => ({
  kind: 'Deployment',
  namespace: ns,
  name,
  state: 'Progressing',
  message: `Waiting for rollout to finish: 1 of 3 updated replicas are available`,
});

/** The brief's `cluster-addons` ApplicationSet: one app per production cluster, synced automatically. */
function clusterAddons(c: Cluster): AppSpec {
  const base: AppSpec = {
    name: `${c.name}-addons`,
    cluster: c,
    applicationSet: 'cluster-addons',
    repo: 'https://github.com/yourorg/fleet-repo',
    path: `clusters/${c.tenant}/${c.name}`,
    targetRevision: 'HEAD',
    destNamespace: 'kube-system',
    automated: true,
  };
  if (c.state === 'NotReady')
    return { ...base, health: 'Progressing', resources: [rolloutWait('kube-system', 'node-agent')], message: 'waiting for healthy state' };
  if (c.state === 'Unknown')
    return {
      ...base,
      sync: 'Unknown',
      health: 'Unknown',
      message: 'failed to load live state: the cluster did not answer (its agent last checked in 3 h ago)',
    };
  return base;
}

/** The tenants' own apps, per cluster from their ApplicationSets, and one app made by hand. */
function tenantApps(byName: ReadonlyMap<string, Cluster>): AppSpec[] {
  const specs: (AppSpec | undefined)[] = [];
  const on = (cluster: string, spec: (c: Cluster) => Omit<AppSpec, 'cluster'>) => {
    const c = byName.get(cluster);
    specs.push(c && { ...spec(c), cluster: c });
  };
  const storefront = (c: Cluster) => ({
    name: `client-a-storefront-${c.name}`,
    applicationSet: 'client-a-storefront',
    repo: 'https://github.com/client-a/storefront-deploy',
    path: `envs/${c.environment}`,
    targetRevision: 'main',
    destNamespace: 'storefront',
    automated: false,
  });
  // The app client-a's Tenant Admin syncs in the e2e journey: Git moved on, nothing synced it yet.
  on('prod-us-east', (c) => ({
    ...storefront(c),
    sync: 'OutOfSync',
    resources: [
      {
        kind: 'Deployment',
        namespace: 'storefront',
        name: 'web',
        state: 'OutOfSync',
        message: 'image storefront/web:v2.14.0 in Git, v2.13.2 live',
      },
      {
        kind: 'ConfigMap',
        namespace: 'storefront',
        name: 'web-flags',
        state: 'OutOfSync',
        message: 'checkout.newFlow: true in Git, false live',
      },
    ],
  }));
  on('prod-us-west', storefront);
  on('client-a-staging', (c) => ({ ...storefront(c), health: 'Progressing', resources: [rolloutWait('storefront', 'web')] }));
  on('prod-us-east', () => ({
    name: 'client-a-payments-gateway',
    repo: 'https://github.com/client-a/payments-gateway',
    path: 'deploy/production',
    targetRevision: 'v3.2.1',
    destNamespace: 'payments',
    automated: false,
  }));

  const checkout = (c: Cluster) => ({
    name: `client-b-checkout-${c.name}`,
    applicationSet: 'client-b-checkout',
    repo: 'https://github.com/client-b/checkout-deploy',
    path: `overlays/${c.environment}`,
    targetRevision: 'HEAD',
    destNamespace: 'checkout',
    automated: true,
  });
  const crashing: DeliveryResource[] = [
    {
      kind: 'Deployment',
      namespace: 'checkout',
      name: 'checkout',
      state: 'Degraded',
      message: 'Deployment "checkout" exceeded its progress deadline',
    },
    {
      kind: 'Pod',
      namespace: 'checkout',
      name: 'checkout-7f9c6d5b8-x2k4q',
      state: 'Degraded',
      message: 'back-off restarting failed container checkout (CrashLoopBackOff)',
    },
  ];
  on('prod-eu-west', (c) => ({
    ...checkout(c),
    health: 'Degraded',
    healthAfterSync: 'Degraded',
    resources: crashing,
    message: 'Deployment "checkout" exceeded its progress deadline',
  }));
  on('client-b-staging', checkout);
  on('client-b-dev', (c) => ({ ...checkout(c), health: 'Progressing', resources: [rolloutWait('checkout', 'checkout')] }));

  const api = (c: Cluster) => ({
    name: `client-c-api-${c.name}`,
    applicationSet: 'client-c-api',
    repo: 'https://github.com/client-c/api-deploy',
    path: `envs/${c.environment}`,
    targetRevision: 'main',
    destNamespace: 'api',
    automated: false,
  });
  on('prod-asia', (c) => ({
    ...api(c),
    sync: 'OutOfSync',
    failure:
      'one or more objects failed to apply, reason: admission webhook "validation.gatekeeper.sh" denied the request: [require-labels] you must provide labels: {"cost-center"}',
    resources: [
      { kind: 'Deployment', namespace: 'api', name: 'api', state: 'OutOfSync', message: 'denied by Gatekeeper: missing label cost-center' },
    ],
  }));
  on('client-c-staging', api);
  return specs.filter((s) => s !== undefined);
}

const pick = (labels: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(keys.flatMap((k) => (labels[k] === undefined ? [] : [[k, labels[k]]])));

function toApp(spec: AppSpec, start: number): AppState {
  const c = spec.cluster;
  // Keyed by the repo and revision, as Git would: apps reading one branch see one head commit (Fleet's GitRepos too).
  const branch = spec.targetRevision === 'HEAD' || spec.targetRevision === 'main';
  const head = commitOf(spec.repo, branch ? 'head' : spec.targetRevision);
  const sync = spec.sync ?? 'Synced';
  const lastDeployed = start - Math.floor((1 + fraction('deployed', spec.name) * 47) * HOUR);
  // Synced apps run the head; an OutOfSync (or unknown) one still runs the commit before it.
  const deployed = sync === 'Synced' ? head : commitOf(spec.repo, 'previous');
  const history = [3, 2, 1].map((k) => ({
    deployedAt: lastDeployed - (k - 1) * 26 * HOUR,
    revision: k === 1 ? deployed : commitOf(spec.repo, 'old', k),
  }));
  const initiatedBy = spec.automated ? 'automated' : 'ci-pipeline';
  const operation = spec.failure
    ? {
        phase: 'Failed' as const,
        startedAt: new Date(start - 40 * MINUTE).toISOString(),
        finishedAt: new Date(start - 39 * MINUTE).toISOString(),
        message: spec.failure,
        revision: head,
        initiatedBy,
      }
    : {
        phase: 'Succeeded' as const,
        startedAt: new Date(lastDeployed - 20_000).toISOString(),
        finishedAt: new Date(lastDeployed).toISOString(),
        message: 'successfully synced (all tasks run)',
        revision: deployed,
        initiatedBy,
      };
  return {
    engine: 'argocd',
    id: deliveryId('argocd', ARGOCD_NAMESPACE, spec.name),
    namespace: ARGOCD_NAMESPACE,
    name: spec.name,
    tenant: c.tenant,
    project: c.tenant,
    // The cluster's placing labels, so `argocd app list --selector env=production` (and a bulk sync by it) finds them.
    labels: { ...pick(c.labels, ['env', 'region', 'tier']), client: c.tenant },
    repo: spec.repo,
    path: spec.path,
    targetRevision: spec.targetRevision,
    cluster: c.name,
    destNamespace: spec.destNamespace,
    ...(spec.applicationSet !== undefined && { applicationSet: spec.applicationSet }),
    automated: spec.automated,
    headCommit: head,
    sync,
    // `status.sync.revision`: what the last comparison was made against (the head, even when it is not deployed).
    revision: head,
    health: spec.health ?? 'Healthy',
    history,
    operation,
    reconciledAt: start - Math.floor(fraction('reconciled', spec.name) * 3 * MINUTE),
    resources: spec.resources ?? [],
    ...(spec.message !== undefined && { message: spec.message }),
    afterSync: {
      health: spec.healthAfterSync ?? 'Healthy',
      ...(spec.failure !== undefined && { failure: spec.failure }),
      ...(spec.healthAfterSync !== undefined && spec.resources && { resources: spec.resources }),
    },
  };
}

/** The demo's Argo CD Applications over these clusters, as they stand at `start`. */
export function demoApps(clusters: readonly Cluster[], start: number): AppState[] {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const production = clusters.filter((c) => c.labels.env === 'production');
  return [...production.map(clusterAddons), ...tenantApps(byName)].map((s) => toApp(s, start));
}
