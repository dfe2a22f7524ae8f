import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * What the Argo CD source keeps of each hub object (the rest — managedFields, the full
 * resource tree, manifests — is dropped as the object arrives). Upstream shapes are read
 * defensively: Argo CD adds fields and states over time.
 */
export interface AppResourceView {
  kind: string;
  namespace?: string;
  name: string;
  sync?: string;
  health?: string;
  message?: string;
}

export interface ApplicationView {
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  /** Only Fleetdeck's own (`fleetdeck.dev/*`). */
  annotations: Record<string, string>;
  project: string;
  repo: string;
  targetRevision?: string;
  paths: string[];
  destination: { server?: string; name?: string; namespace?: string };
  automated: boolean;
  /** The ApplicationSet that controls it: its uid and name as the owner reference says. */
  owner?: { uid?: string; name: string };
  operationSet: boolean;
  sync: string;
  syncRevision?: string;
  health: string;
  healthMessage?: string;
  operationState?: {
    phase: string;
    startedAt?: string;
    finishedAt?: string;
    message?: string;
    revision?: string;
    initiatedBy?: string;
  };
  lastDeployedAt?: string;
  reconciledAt?: string;
  /** ComparisonError / InvalidSpecError conditions: the type and its message. */
  problem?: { type: string; message?: string };
  /** Resources not Synced or not Healthy, in status order, at most RESOURCE_LIMIT; `resourcesCut` more. */
  resources: AppResourceView[];
  resourcesCut: number;
}

export interface AppSetView {
  namespace: string;
  name: string;
  uid?: string;
}

export const RESOURCE_LIMIT = 50;
const PROBLEM_CONDITIONS = new Set(['ComparisonError', 'InvalidSpecError']);

type Raw = Record<string, unknown>;
const rec = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

function initiator(op: Raw): string | undefined {
  const by = rec(op.initiatedBy);
  return str(by.username) ?? (by.automated === true ? 'automated' : undefined);
}

function resourceView(r: Raw): AppResourceView | undefined {
  const health = rec(r.health);
  const sync = str(r.status);
  const healthStatus = str(health.status);
  // A resource without health (a ConfigMap) is as healthy as Argo CD says it is: not a problem.
  if ((sync === undefined || sync === 'Synced') && (healthStatus === undefined || healthStatus === 'Healthy')) return undefined;
  return {
    kind: str(r.kind) ?? '',
    name: str(r.name) ?? '',
    ...(str(r.namespace) && { namespace: str(r.namespace) }),
    ...(sync && { sync }),
    ...(healthStatus && { health: healthStatus }),
    ...(str(health.message) && { message: str(health.message) }),
  };
}

export function applicationView(obj: KubernetesObject): ApplicationView | undefined {
  const raw = obj as unknown as Raw;
  const meta = rec(raw.metadata);
  const name = str(meta.name);
  const namespace = str(meta.namespace);
  if (!name || !namespace) return undefined;
  const spec = rec(raw.spec);
  const status = rec(raw.status);
  const sources = spec.source ? [rec(spec.source)] : list(spec.sources);
  const first = sources[0] ?? {};
  const owner = list(meta.ownerReferences).find((o) => o.kind === 'ApplicationSet' && o.controller !== false);
  const op = rec(status.operationState);
  const phase = str(op.phase);
  const history = list(status.history);
  const problem = list(status.conditions).find((c) => PROBLEM_CONDITIONS.has(str(c.type) ?? ''));
  const notOk = list(status.resources).flatMap((r) => resourceView(r) ?? []);
  const dest = rec(spec.destination);
  return {
    namespace,
    name,
    ...(str(meta.uid) && { uid: str(meta.uid) }),
    labels: strings(meta.labels),
    annotations: Object.fromEntries(Object.entries(strings(meta.annotations)).filter(([k]) => k.startsWith('fleetdeck.dev/'))),
    project: str(spec.project) ?? 'default',
    repo: str(first.repoURL) ?? '',
    ...(str(first.targetRevision) && { targetRevision: str(first.targetRevision) }),
    paths: sources.flatMap((s) => str(s.path) ?? str(s.chart) ?? []),
    destination: {
      ...(str(dest.server) && { server: str(dest.server) }),
      ...(str(dest.name) && { name: str(dest.name) }),
      ...(str(dest.namespace) && { namespace: str(dest.namespace) }),
    },
    automated: spec.syncPolicy !== undefined && rec(spec.syncPolicy).automated != null,
    ...(owner && str(owner.name) && { owner: { name: str(owner.name)!, ...(str(owner.uid) && { uid: str(owner.uid) }) } }),
    operationSet: raw.operation != null,
    sync: str(rec(status.sync).status) ?? 'Unknown',
    ...(str(rec(status.sync).revision) && { syncRevision: str(rec(status.sync).revision) }),
    health: str(rec(status.health).status) ?? 'Unknown',
    ...(str(rec(status.health).message) && { healthMessage: str(rec(status.health).message) }),
    ...(phase && {
      operationState: {
        phase,
        ...(str(op.startedAt) && { startedAt: str(op.startedAt) }),
        ...(str(op.finishedAt) && { finishedAt: str(op.finishedAt) }),
        ...(str(op.message) && { message: str(op.message) }),
        ...(str(rec(op.syncResult).revision) && { revision: str(rec(op.syncResult).revision) }),
        ...(initiator(rec(op.operation)) && { initiatedBy: initiator(rec(op.operation)) }),
      },
    }),
    ...(str(history.at(-1)?.deployedAt) && { lastDeployedAt: str(history.at(-1)?.deployedAt) }),
    ...(str(status.reconciledAt) && { reconciledAt: str(status.reconciledAt) }),
    ...(problem && { problem: { type: str(problem.type)!, ...(str(problem.message) && { message: str(problem.message) }) } }),
    resources: notOk.slice(0, RESOURCE_LIMIT),
    resourcesCut: Math.max(0, notOk.length - RESOURCE_LIMIT),
  };
}

export function appSetView(obj: KubernetesObject): AppSetView | undefined {
  const { name, namespace, uid } = obj.metadata ?? {};
  if (!name || !namespace) return undefined;
  return { namespace, name, ...(uid && { uid }) };
}
