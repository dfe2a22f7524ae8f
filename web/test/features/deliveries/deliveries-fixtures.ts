import { ClusterDeliveries, DeliveryDetail, DeliveryList, DeliverySummary, Me, SyncPreview, type DeliveryRow } from '@fleetdeck/shared';

import { ME } from '../../rollouts-harness.tsx';

// Test data for the deliveries area, parsed with the shared schemas so it cannot drift from the API.

export const RENDERED = '0123456789abcdef0123456789abcdef01234567';
export const OLD = 'fedcba9876543210fedcba9876543210fedcba98';

/** A person who may operate (sync, force update) in client-a. */
export const OPERATOR = Me.parse({
  ...ME,
  scope: {
    grants: [{ role: 'tenant-admin', tenants: ['client-a'], environments: '*', namespaces: '*', verbs: ['view', 'approve', 'operate'] }],
  },
});

export function fleetRepo(over: Partial<DeliverySummary> = {}): DeliverySummary {
  return DeliverySummary.parse({
    id: 'fleet:fleet-default/core-stack',
    engine: 'fleet',
    name: 'core-stack',
    namespace: 'fleet-default',
    tenant: 'client-a',
    labels: {},
    repo: 'https://github.com/yourorg/fleet-repo',
    branch: 'main',
    paths: ['core'],
    renderedCommit: RENDERED,
    status: { label: 'Modified', tone: 'warning', rank: 5 },
    paused: false,
    ready: 2,
    desired: 3,
    byStatus: { Modified: 1, Ready: 2 },
    lastSyncAt: '2026-11-26T08:00:00Z',
    fleet: { gitJob: 'Current', forceSyncGeneration: 4, bundles: 1, correctDrift: false },
    can: { forceUpdate: '', pause: 'Viewers may not pause GitRepos.' },
    ...over,
  });
}

export function argoApp(over: Partial<DeliverySummary> = {}): DeliverySummary {
  return DeliverySummary.parse({
    id: 'argocd:argocd/storefront-prod-us-east',
    engine: 'argocd',
    name: 'storefront-prod-us-east',
    namespace: 'argocd',
    tenant: 'client-a',
    labels: { env: 'production' },
    repo: 'https://github.com/client-a/storefront-deploy',
    revision: 'main',
    paths: ['envs/production'],
    renderedCommit: OLD,
    status: { label: 'OutOfSync / Healthy', tone: 'warning', rank: 4 },
    paused: false,
    ready: 0,
    desired: 1,
    byStatus: { 'OutOfSync / Healthy': 1 },
    argocd: {
      project: 'client-a',
      sync: 'OutOfSync',
      health: 'Healthy',
      syncPending: false,
      operation: { phase: 'Succeeded', finishedAt: '2026-11-26T07:00:00Z', revision: OLD, initiatedBy: 'automated' },
      applicationSet: 'client-a-storefront',
      destination: { server: 'https://prod-us-east.example:6443', namespace: 'storefront' },
      unmapped: false,
      automated: false,
    },
    can: { sync: '', refresh: '' },
    ...over,
  });
}

export function list(rows: DeliveryRow[], over: Partial<DeliveryList> = {}): DeliveryList {
  const byTone: Record<string, number> = {};
  for (const r of rows) byTone[r.delivery.status.tone] = (byTone[r.delivery.status.tone] ?? 0) + 1;
  return DeliveryList.parse({ items: rows, total: rows.length, byTone, errors: [], ...over });
}

export function fleetDetail(over: Partial<DeliveryDetail> = {}): DeliveryDetail {
  return DeliveryDetail.parse({
    ...fleetRepo(),
    targets: [
      {
        cluster: 'prod-us-east',
        status: { label: 'Modified', tone: 'warning', rank: 5 },
        fleetState: 'Modified',
        appliedCommit: OLD,
        paused: false,
        message: 'Modified(1) [Bundle core-stack-core]',
        resources: [{ kind: 'ConfigMap', namespace: 'core', name: 'settings', state: 'Modified', message: 'data.replicas differs' }],
        customization: 'production',
        options: ['helm.values.replicas: 3'],
      },
      {
        cluster: 'staging',
        status: { label: 'Ready', tone: 'ok', rank: 1 },
        fleetState: 'Ready',
        appliedCommit: RENDERED,
        paused: false,
        resources: [],
        customization: 'staging',
        options: ['helm.values.replicas: 1'],
      },
    ],
    placement: {
      targets: [{ name: 'all-client-a', selector: 'tenant=client-a', clusters: ['prod-us-east', 'staging'] }],
      customizations: [
        {
          name: 'production',
          selector: 'env=production',
          options: ['helm.values.replicas: 3'],
          doNotDeploy: false,
          clusters: ['prod-us-east'],
        },
        { name: 'staging', selector: 'env=staging', options: ['helm.values.replicas: 1'], doNotDeploy: false, clusters: ['staging'] },
      ],
    },
    ...over,
  });
}

export function argoDetail(over: Partial<DeliveryDetail> = {}): DeliveryDetail {
  return DeliveryDetail.parse({
    ...argoApp(),
    targets: [
      {
        cluster: 'prod-us-east',
        status: { label: 'OutOfSync / Healthy', tone: 'warning', rank: 4 },
        sync: 'OutOfSync',
        health: 'Healthy',
        appliedCommit: OLD,
        paused: false,
        resources: [],
      },
    ],
    ...over,
  });
}

export const clusterDeliveries = (): ClusterDeliveries =>
  ClusterDeliveries.parse({
    items: [{ delivery: fleetRepo(), target: fleetDetail().targets[0] }],
    errors: [],
  });

export const preview = (): SyncPreview =>
  SyncPreview.parse({
    labels: 'env=production',
    total: 3,
    items: [
      {
        id: 'argocd:argocd/storefront-prod-us-east',
        name: 'storefront-prod-us-east',
        cluster: 'prod-us-east',
        sync: 'OutOfSync',
        health: 'Healthy',
        skip: '',
      },
      {
        id: 'argocd:argocd/api-prod-us-east',
        name: 'api-prod-us-east',
        cluster: 'prod-us-east',
        sync: 'Synced',
        health: 'Healthy',
        skip: '',
      },
      {
        id: 'argocd:argocd/api-prod-us-west',
        name: 'api-prod-us-west',
        cluster: 'prod-us-west',
        sync: 'OutOfSync',
        health: 'Healthy',
        skip: 'A sync is already running.',
      },
    ],
  });
