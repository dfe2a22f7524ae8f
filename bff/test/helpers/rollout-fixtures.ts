import type { Principal, RolloutActionResult, RolloutSourceKind, Scope, Wave } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { accessContext, tenantNamespaceMapper, type Viewer } from '../../src/access/rollout-access.ts';
import { rolloutId, type RolloutActions, type RolloutSource, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';

/** The brief's personas, plus a client-b Tenant Admin and a fleet-wide Viewer. */
export const PERSONAS = {
  platformAdmin: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] },
  clientAAdmin: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] },
  clientBAdmin: { user: 'client-b-admin@demo', groups: ['tenant-client-b-admins'] },
  clientADev: { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] },
  clientBViewer: { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
  fleetViewer: { user: 'fleet-viewer@demo', groups: ['fleet-viewers'] },
} as const satisfies Record<string, Principal>;

export function viewerOf(p: Pick<Principal, 'user' | 'groups'>): Viewer {
  const scope: Scope = resolveScope({ user: p.user, groups: [...p.groups] }, DEFAULT_ACCESS_POLICY);
  return { scope, user: p.user };
}

export const CLUSTERS = demoClusters(new Date('2026-11-24T10:00:00Z'));
export const CTX = accessContext(CLUSTERS, tenantNamespaceMapper('fleet-{tenant}'));

type WaveSpec = { name: string; clusters: string[]; state?: Wave['state']; waiting?: boolean; message?: string; comment?: string };

/** A source rollout with sensible defaults; waves list their clusters, `touches` is their union. */
export function makeRollout(
  spec: {
    name: string;
    source?: RolloutSourceKind;
    namespace?: string;
    tenant?: string;
    waves: WaveSpec[];
    state?: SourceRollout['state'];
    createdAt?: string;
  } & Partial<Omit<SourceRollout, 'waves'>>,
): SourceRollout {
  const source = spec.source ?? (spec.namespace ? 'kubefleet-namespaced' : 'kubefleet');
  const waves: Wave[] = spec.waves.map((w, index) => ({
    name: w.name,
    index,
    state: w.state ?? (w.waiting ? 'AwaitingApproval' : 'NotStarted'),
    gates: w.waiting
      ? [
          {
            kind: 'Approval',
            position: 'before',
            state: 'Waiting',
            approvalName: `${spec.name}-before-${w.name}`,
            ...(w.comment && { comment: w.comment, approvedBy: 'someone-else@demo' }),
          },
        ]
      : [],
    clusters: w.clusters.map((cluster) => ({ cluster, state: 'Pending', ...(w.message && { message: `${cluster}: ${w.message}` }) })),
    hiddenClusters: 0,
    progress: { total: w.clusters.length, succeeded: 0, failed: 0, updating: 0 },
    ...(w.message && { message: w.message }),
  }));
  const touches = [...new Set(spec.waves.flatMap((w) => w.clusters))];
  const waiting = spec.waves.find((w) => w.waiting);
  const { waves: _w, ...rest } = spec;
  return {
    id: rolloutId(source, spec.namespace, spec.name),
    target: `${spec.name}-placement`,
    state: waiting ? 'AwaitingApproval' : 'Progressing',
    progress: { total: touches.length, succeeded: 0, failed: 0, updating: 0 },
    policy: { sourceFields: {} },
    conditions: [],
    history: [],
    errors: [],
    touches,
    ...(waiting && { awaitingApproval: { wave: waiting.name, position: 'before' as const } }),
    ...rest,
    source,
    waves,
  };
}

/** An in-memory source for route and hub tests: actions record calls and answer as told. */
export class FakeRolloutSource implements RolloutSource {
  readonly kinds: readonly RolloutSourceKind[];
  readonly calls: { action: string; user: string; id: string; arg?: string | undefined }[] = [];
  readonly #items = new Map<string, SourceRollout>();
  readonly #listeners = new Set<(id: string) => void>();
  answer: (action: string, r: SourceRollout) => Promise<RolloutActionResult> = (action) =>
    Promise.resolve({ outcome: 'done', code: action, message: `${action} done` });

  constructor(kinds: readonly RolloutSourceKind[], items: readonly SourceRollout[] = []) {
    this.kinds = kinds;
    for (const r of items) this.#items.set(r.id, r);
  }

  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  list = () => [...this.#items.values()];
  get = (id: string) => this.#items.get(id);
  errors = () => [];
  onChange(listener: (id: string) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  put(r: SourceRollout): void {
    this.#items.set(r.id, r);
    for (const l of this.#listeners) l(r.id);
  }

  remove(id: string): void {
    this.#items.delete(id);
    for (const l of this.#listeners) l(id);
  }

  readonly actions: RolloutActions = {
    approve: (ctx, r, wave) => this.#call('approve', ctx.principal.user, r, wave),
    pause: (ctx, r, reason) => this.#call('pause', ctx.principal.user, r, reason),
    resume: (ctx, r) => this.#call('resume', ctx.principal.user, r),
    abort: (ctx, r) => this.#call('abort', ctx.principal.user, r),
    rollback: (ctx, r) => this.#call('rollback', ctx.principal.user, r),
    unpin: (ctx, r) => this.#call('unpin', ctx.principal.user, r),
  };

  #call(action: string, user: string, r: SourceRollout, arg?: string): Promise<RolloutActionResult> {
    this.calls.push({ action, user, id: r.id, arg });
    return this.answer(action, r);
  }
}

/** Names that must never reach client-a's people: other tenants and their clusters. */
export const NOT_FOR_CLIENT_A = ['client-b', 'client-c', ...CLUSTERS.filter((c) => c.tenant !== 'client-a').map((c) => c.name)];
