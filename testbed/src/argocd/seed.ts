import { API_SERVER_ANNOTATION, type Cluster } from '@fleetdeck/shared';

import type { KubeObject } from '../kube/client.ts';
import type { SeedObject } from '../kube/seed.ts';
import { roleBinding, TENANT_ARGOCD_ROLE } from '../kube/rbac.ts';

/**
 * The testbed's Argo CD objects on the hub. Layout ("apps in any namespace", as Argo CD
 * supports it): platform objects live in `argocd` (project `platform`), each tenant's
 * Applications in its own namespace `argocd-<tenant>` (project `<tenant>`, whose
 * AppProject lists that namespace in `sourceNamespaces`). Kubernetes RBAC is then per
 * namespace: a tenant admin may update Applications in theirs only, so a sync of another
 * tenant's app is refused by the API server itself (403), whatever Fleetdeck decides.
 */
export const ARGOCD_NS = 'argocd';
export const argoTenantNamespace = (tenant: string) => `argocd-${tenant}`;

/**
 * The API server URL Argo CD knows a member cluster by (what its cluster Secret says). No
 * Argo CD connects to it in the testbed; Fleetdeck only matches it against the inventory
 * clusters' `fleetdeck.dev/api-server` annotation.
 */
export const argoServerUrl = (cluster: string) => `https://api.${cluster}.testbed.invalid`;
/** The inventory annotation the seed puts on MemberClusters and Fleet Clusters. */
export const apiServerAnnotation = (cluster: string) => ({ [API_SERVER_ANNOTATION]: argoServerUrl(cluster) });

/**
 * What the stand-in's application controller reports for a seeded app on its first
 * reconcile (the live state it would compute from the cluster); absent: Synced and Healthy.
 */
export const SIMULATE_ANNOTATION = 'testbed.fleetdeck.dev/argocd-simulate';
export interface SimulatedState {
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: string;
  /** A resource that is not Synced or not Healthy, with its message. */
  resource?: { kind: string; name: string; namespace?: string; status: string; health: string; message?: string };
  /** Never deployed: no history. */
  neverSynced?: boolean;
}

export const SEEDED_ARGO = {
  /** The RollingSync ApplicationSet (namespace `argocd`) and the env of each app it generates. */
  applicationSet: 'guestbook',
  /** OutOfSync app of tenant client-a (a tenant admin may sync it). */
  outOfSync: { namespace: 'argocd-client-a', name: 'web-client-a-staging', cluster: 'client-a-staging' },
  /** Degraded app of tenant client-b. */
  degraded: { namespace: 'argocd-client-b', name: 'web-prod-eu-west', cluster: 'prod-eu-west' },
  /** Its destination.server is written differently from the annotation (case, :443, trailing slash). */
  oddUrl: { namespace: 'argocd-client-c', name: 'web-client-c-staging', cluster: 'client-c-staging' },
  /** Its destination is `destination.name` (an inventory cluster's name), not a URL. */
  byName: { namespace: 'argocd-client-b', name: 'web-client-b-staging', cluster: 'client-b-staging' },
  /** Deploys to the hub itself (in-cluster): no inventory cluster. */
  unmapped: { namespace: ARGOCD_NS, name: 'cluster-addons' },
} as const;

const SIMULATED: Record<string, SimulatedState> = {
  'web-client-a-staging': {
    sync: 'OutOfSync',
    health: 'Healthy',
    resource: { kind: 'Deployment', namespace: 'client-a-apps', name: 'web', status: 'OutOfSync', health: 'Healthy' },
  },
  'web-prod-eu-west': {
    sync: 'Synced',
    health: 'Degraded',
    resource: {
      kind: 'Deployment',
      namespace: 'client-b-apps',
      name: 'web',
      status: 'Synced',
      health: 'Degraded',
      message: 'Deployment "web" exceeded its progress deadline',
    },
  },
  'web-client-b-dev': {
    sync: 'OutOfSync',
    health: 'Missing',
    neverSynced: true,
    resource: { kind: 'Deployment', namespace: 'client-b-apps', name: 'web', status: 'OutOfSync', health: 'Missing' },
  },
};

const REPO = 'https://git.testbed.invalid/platform/apps.git';
const app = (
  namespace: string,
  name: string,
  project: string,
  labels: Record<string, string>,
  destination: Record<string, string>,
  path: string,
): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name,
    namespace,
    labels,
    ...(SIMULATED[name] && { annotations: { [SIMULATE_ANNOTATION]: JSON.stringify(SIMULATED[name]) } }),
  },
  spec: { project, source: { repoURL: REPO, path, targetRevision: 'main' }, destination },
});

const project = (name: string, sourceNamespaces: string[]): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name, namespace: ARGOCD_NS },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], sourceNamespaces },
});

/** The RollingSync ApplicationSet: a list generator over one cluster per env and tenant, steps by `env`. */
function applicationSet(clusters: readonly Cluster[]): KubeObject {
  const picked = clusters.filter((c) => c.labels.tier !== 'edge' && c.labels.tier !== 'canary');
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: SEEDED_ARGO.applicationSet, namespace: ARGOCD_NS },
    spec: {
      generators: [
        { list: { elements: picked.map((c) => ({ cluster: c.name, url: argoServerUrl(c.name), env: c.environment, client: c.tenant })) } },
      ],
      strategy: {
        type: 'RollingSync',
        rollingSync: {
          steps: [
            { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], maxUpdate: '100%' },
            { matchExpressions: [{ key: 'env', operator: 'In', values: ['staging'] }], maxUpdate: '100%' },
            // The approval gate: Argo CD waits until these are synced by hand.
            { matchExpressions: [{ key: 'env', operator: 'In', values: ['production'] }], maxUpdate: 0 },
          ],
        },
      },
      template: {
        metadata: { name: 'guestbook-{{cluster}}', labels: { env: '{{env}}', client: '{{client}}', app: 'guestbook' } },
        spec: {
          project: 'platform',
          source: { repoURL: REPO, path: 'guestbook', targetRevision: 'main' },
          destination: { server: '{{url}}', namespace: 'guestbook' },
        },
      },
    },
  };
}

export function argocdSeed(clusters: readonly Cluster[], tenants: readonly string[]): SeedObject[] {
  const tenantApps = clusters
    .filter((c) => c.labels.tier !== 'edge' && c.labels.tier !== 'canary')
    .map((c) => {
      const name = `web-${c.name}`;
      let destination: Record<string, string> = { server: argoServerUrl(c.name), namespace: `${c.tenant}-apps` };
      if (name === SEEDED_ARGO.oddUrl.name)
        destination = { ...destination, server: `HTTPS://API.${c.name.toUpperCase()}.testbed.invalid:443/` };
      if (name === SEEDED_ARGO.byName.name) destination = { name: c.name, namespace: `${c.tenant}-apps` };
      return app(argoTenantNamespace(c.tenant), name, c.tenant, { env: c.environment, client: c.tenant, app: 'web' }, destination, 'web');
    });
  return [
    { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NS } } },
    ...tenants.map((t) => ({
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: argoTenantNamespace(t), labels: { client: t } } },
    })),
    ...tenants.flatMap((t) => [
      { object: roleBinding(argoTenantNamespace(t), TENANT_ARGOCD_ROLE, `tenant-${t}-admins`) },
      { object: roleBinding(argoTenantNamespace(t), 'fleetdeck:viewer', `tenant-${t}-admins`) },
      { object: roleBinding(argoTenantNamespace(t), 'fleetdeck:viewer', `tenant-${t}-viewers`) },
    ]),
    { object: project('platform', [ARGOCD_NS]) },
    ...tenants.map((t) => ({ object: project(t, [argoTenantNamespace(t)]) })),
    ...tenantApps.map((object) => ({ object })),
    {
      object: app(
        ARGOCD_NS,
        SEEDED_ARGO.unmapped.name,
        'platform',
        { app: 'cluster-addons' },
        { server: 'https://kubernetes.default.svc', namespace: 'kube-system' },
        'addons',
      ),
    },
    { object: applicationSet(clusters) },
  ];
}
