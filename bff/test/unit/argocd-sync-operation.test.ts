import { describe, expect, it } from 'vitest';

import { requestSync, withSyncOperation, type ApplicationDocument } from '../../src/sources/gitops/argocd/sync-operation.ts';
import { DeliveryActionError } from '../../src/sources/gitops/delivery-source.ts';
import type { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';

const base: ApplicationDocument = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web', namespace: 'argocd', resourceVersion: '42' },
  spec: { project: 'default' },
  status: {
    sync: { status: 'OutOfSync' },
    operationState: { phase: 'Succeeded', startedAt: '2026-11-26T08:00:00Z', finishedAt: '2026-11-26T08:01:00Z' },
  },
};

describe('withSyncOperation (what Argo CD API server writes for a sync)', () => {
  it('sets operation as the person, clears the last operationState, keeps everything else and the resourceVersion', () => {
    const next = withSyncOperation(base, 'alice@example.com', { revision: 'abc', prune: true });
    expect(next).toEqual({
      ...base,
      operation: { initiatedBy: { username: 'alice@example.com' }, sync: { revision: 'abc', prune: true, syncStrategy: { hook: {} } } },
      status: { sync: { status: 'OutOfSync' } },
    });
  });

  it('omits revision and prune when not asked', () => {
    const { status: _none, ...fresh } = base;
    const next = withSyncOperation(fresh, 'bob', {}) as ApplicationDocument;
    expect(next.operation).toEqual({ initiatedBy: { username: 'bob' }, sync: { syncStrategy: { hook: {} } } });
    expect(next).not.toHaveProperty('status');
  });

  it('refuses while an operation is set, naming who started it and when', () => {
    const running = {
      ...base,
      operation: { initiatedBy: { username: 'carol' }, sync: {} },
      status: { operationState: { phase: 'Running', startedAt: '2026-11-26T09:00:00Z' } },
    };
    expect(withSyncOperation(running, 'alice', {})).toBe(
      'a sync is already running (started by carol at 2026-11-26T09:00:00Z); wait for it to finish',
    );
  });

  it('refuses a set operation not yet picked up, and names an automated one', () => {
    const pending = { ...base, operation: { initiatedBy: { automated: true }, sync: {} } };
    expect(withSyncOperation(pending, 'alice', {})).toBe(
      'a sync is already running (started by Argo CD (automated)); wait for it to finish',
    );
  });
});

describe('requestSync on a conflict', () => {
  // A lost update race cannot be timed against a real API server, so the answers are
  // scripted: the PUT loses to another replica's sync, and the re-read must see it.
  function scripted(answers: { status: number; body: unknown }[]) {
    const calls: { method: string; body?: unknown }[] = [];
    const writer = {
      request: (_p: unknown, method: string, _path: string, options: { body?: unknown } = {}) => {
        calls.push({ method, ...(options.body !== undefined && { body: options.body }) });
        return Promise.resolve(answers.shift()!);
      },
    } as unknown as ImpersonatingClient;
    return { writer, calls };
  }
  const ctx = { principal: { user: 'alice', groups: ['g'] }, requestId: 'r' };
  const app = { namespace: 'argocd', name: 'web' };

  it('reads again after a 409 and refuses when the winner set an operation', async () => {
    const winner = { ...base, operation: { initiatedBy: { username: 'bob' } } };
    const { writer, calls } = scripted([
      { status: 200, body: base },
      { status: 409, body: {} },
      { status: 200, body: winner },
    ]);
    const err = await requestSync(writer, ctx, app, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryActionError);
    expect(err).toMatchObject({ status: 409, message: 'a sync is already running (started by bob); wait for it to finish' });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('writes on the re-read object when the conflict was something else', async () => {
    const moved = { ...base, metadata: { ...base.metadata, resourceVersion: '43' } };
    const { writer, calls } = scripted([
      { status: 200, body: base },
      { status: 409, body: {} },
      { status: 200, body: moved },
      { status: 200, body: {} },
    ]);
    await expect(requestSync(writer, ctx, app, {})).resolves.toMatchObject({ outcome: 'done' });
    expect((calls[3]?.body as ApplicationDocument).metadata?.resourceVersion).toBe('43');
  });

  it.each([
    [403, 403],
    [404, 404],
    [500, 502],
  ])('an answer %i from the hub is a %i', async (hub, want) => {
    const { writer } = scripted([{ status: hub, body: {} }]);
    await expect(requestSync(writer, ctx, app, {})).rejects.toMatchObject({ status: want });
  });
});
