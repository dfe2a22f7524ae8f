import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { applicationView, RESOURCE_LIMIT } from '../../src/sources/gitops/argocd/argocd-objects.ts';
import { mapApplication, tenantOf } from '../../src/sources/gitops/argocd/map-application.ts';

const tenants = { projectTenants: { 'client-a': 'client-a', shared: 'client-c' }, namespaceTenants: { 'argocd-client-b': 'client-b' } };

function app(over: { metadata?: object; spec?: object; status?: object; operation?: object } = {}): KubernetesObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd', uid: 'u-1', labels: { env: 'staging' }, ...over.metadata },
    spec: {
      project: 'client-a',
      source: { repoURL: 'https://git.example.com/apps.git', path: 'web', targetRevision: 'main' },
      destination: { server: 'https://api.a.example.com', namespace: 'web' },
      ...over.spec,
    },
    ...(over.status && { status: over.status }),
    ...(over.operation && { operation: over.operation }),
  } as KubernetesObject;
}
const view = (o: KubernetesObject) => applicationView(o)!;

describe('Argo CD Application → delivery', () => {
  it('maps identity, source, destination and the one target', () => {
    const d = mapApplication(
      view(
        app({
          metadata: { annotations: { 'fleetdeck.dev/x': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
          spec: { syncPolicy: { automated: { prune: true } } },
          status: {
            sync: { status: 'OutOfSync', revision: 'abc123' },
            health: { status: 'Healthy' },
            reconciledAt: '2026-11-26T09:00:00Z',
            history: [
              { id: 1, revision: 'old', deployedAt: '2026-11-25T09:00:00Z' },
              { id: 2, revision: 'abc122', deployedAt: '2026-11-26T08:00:00Z' },
            ],
          },
        }),
      ),
      { cluster: 'cluster-a', tenants },
    );
    expect(d).toMatchObject({
      id: 'argocd:argocd/web',
      engine: 'argocd',
      tenant: 'client-a',
      labels: { env: 'staging' },
      repo: 'https://git.example.com/apps.git',
      revision: 'main',
      paths: ['web'],
      renderedCommit: 'abc123',
      paused: false,
      destinationCluster: 'cluster-a',
      destinationNamespace: 'web',
      annotations: { 'fleetdeck.dev/x': '1' },
      object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'web', namespace: 'argocd', uid: 'u-1' },
      argocd: {
        project: 'client-a',
        sync: 'OutOfSync',
        health: 'Healthy',
        syncPending: false,
        unmapped: false,
        automated: true,
        reconciledAt: '2026-11-26T09:00:00Z',
        destination: { server: 'https://api.a.example.com', namespace: 'web' },
      },
    });
    expect(d.annotations).toEqual({ 'fleetdeck.dev/x': '1' });
    expect(d.targets).toEqual([
      {
        cluster: 'cluster-a',
        status: { label: 'OutOfSync / Healthy', tone: 'warning', rank: expect.any(Number) as number },
        sync: 'OutOfSync',
        health: 'Healthy',
        appliedCommit: 'abc123',
        lastSyncAt: '2026-11-26T08:00:00Z',
        paused: false,
        resources: [],
      },
    ]);
  });

  it('takes the tenant from the project, else the namespace, else none', () => {
    expect(tenantOf({ project: 'shared', namespace: 'argocd-client-b' }, tenants)).toBe('client-c');
    expect(tenantOf({ project: 'default', namespace: 'argocd-client-b' }, tenants)).toBe('client-b');
    expect(tenantOf({ project: 'default', namespace: 'argocd' }, tenants)).toBeUndefined();
    expect(mapApplication(view(app({ spec: { project: 'default' } })), { cluster: 'c', tenants })).not.toHaveProperty('tenant');
  });

  it('has no target and says unmapped when the destination is no inventory cluster', () => {
    const d = mapApplication(view(app()), { cluster: undefined, tenants });
    expect(d.targets).toEqual([]);
    expect(d.argocd?.unmapped).toBe(true);
    expect(d).not.toHaveProperty('destinationCluster');
  });

  it('reads unknown sync and health words as Unknown, and a missing status too', () => {
    const d = mapApplication(view(app({ status: { sync: { status: 'Weird' }, health: { status: 'Sleepy' } } })), { cluster: 'c', tenants });
    expect(d.argocd).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
    expect(mapApplication(view(app()), { cluster: 'c', tenants }).argocd).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
  });

  it('a failed last sync is an error with its message, whatever the health', () => {
    const d = mapApplication(
      view(
        app({
          status: {
            sync: { status: 'OutOfSync', revision: 'r2' },
            health: { status: 'Healthy' },
            operationState: {
              phase: 'Failed',
              startedAt: '2026-11-26T09:00:00Z',
              finishedAt: '2026-11-26T09:01:00Z',
              message: 'one or more objects failed to apply',
              operation: { initiatedBy: { username: 'alice' } },
              syncResult: { revision: 'r2' },
            },
          },
        }),
      ),
      { cluster: 'c', tenants },
    );
    expect(d.targets[0]).toMatchObject({ status: { label: 'OutOfSync / Healthy (sync failed)', tone: 'error' } });
    expect(d.targets[0]?.message).toBe('one or more objects failed to apply');
    // A failed operation is no successful sync.
    expect(d.targets[0]).not.toHaveProperty('lastSyncAt');
    expect(d.argocd?.operation).toEqual({
      phase: 'Failed',
      startedAt: '2026-11-26T09:00:00Z',
      finishedAt: '2026-11-26T09:01:00Z',
      message: 'one or more objects failed to apply',
      revision: 'r2',
      initiatedBy: 'alice',
    });
  });

  it('last successful sync: a succeeded operation later than the history counts', () => {
    const d = mapApplication(
      view(
        app({
          status: {
            sync: { status: 'Synced' },
            health: { status: 'Healthy' },
            history: [{ id: 1, revision: 'a', deployedAt: '2026-11-26T08:00:00Z' }],
            operationState: { phase: 'Succeeded', finishedAt: '2026-11-26T09:30:00Z', operation: { initiatedBy: { automated: true } } },
          },
        }),
      ),
      { cluster: 'c', tenants },
    );
    expect(d.targets[0]?.lastSyncAt).toBe('2026-11-26T09:30:00Z');
    expect(d.argocd?.operation?.initiatedBy).toBe('automated');
  });

  it('a pending operation is syncPending', () => {
    const d = mapApplication(view(app({ operation: { initiatedBy: { username: 'bob' }, sync: {} } })), { cluster: 'c', tenants });
    expect(d.argocd?.syncPending).toBe(true);
  });

  it('lists resources not Synced or not Healthy with their messages, at most the limit', () => {
    const resources = [
      { kind: 'ConfigMap', name: 'cfg', status: 'Synced' },
      { kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced', health: { status: 'Degraded', message: 'deadline exceeded' } },
      { kind: 'Service', namespace: 'web', name: 'web', status: 'OutOfSync', health: { status: 'Healthy' } },
      ...Array.from({ length: RESOURCE_LIMIT + 3 }, (_, i) => ({ kind: 'Secret', name: `s${i}`, status: 'OutOfSync' })),
    ];
    const d = mapApplication(view(app({ status: { sync: { status: 'OutOfSync' }, health: { status: 'Degraded' }, resources } })), {
      cluster: 'c',
      tenants,
    });
    const t = d.targets[0]!;
    expect(t.resources).toHaveLength(RESOURCE_LIMIT);
    expect(t.resourcesCut).toBe(5);
    expect(t.resources.slice(0, 2)).toEqual([
      { kind: 'Deployment', namespace: 'web', name: 'web', state: 'Degraded', message: 'deadline exceeded' },
      { kind: 'Service', namespace: 'web', name: 'web', state: 'OutOfSync' },
    ]);
    expect(t.status.tone).toBe('error');
  });

  it('a ComparisonError is repo-level trouble', () => {
    const d = mapApplication(
      view(app({ status: { conditions: [{ type: 'SyncError' }, { type: 'ComparisonError', message: 'repository not found' }] } })),
      { cluster: 'c', tenants },
    );
    expect(d.repoStatus).toMatchObject({ label: 'ComparisonError', tone: 'error' });
  });

  it('names its ApplicationSet from the hub, else from the owner reference; several sources give several paths', () => {
    const owned = app({
      metadata: {
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'guestbook', uid: 's-1', controller: true }],
      },
      spec: {
        source: undefined,
        sources: [
          { repoURL: 'https://git.example.com/a.git', path: 'one', targetRevision: 'v1' },
          { repoURL: 'https://charts.example.com', chart: 'redis' },
        ],
      },
    });
    expect(mapApplication(view(owned), { cluster: 'c', tenants }).argocd?.applicationSet).toBe('guestbook');
    const d = mapApplication(view(owned), { cluster: 'c', tenants, applicationSet: 'renamed' });
    expect(d.argocd?.applicationSet).toBe('renamed');
    expect(d).toMatchObject({ repo: 'https://git.example.com/a.git', revision: 'v1', paths: ['one', 'redis'] });
  });
});
