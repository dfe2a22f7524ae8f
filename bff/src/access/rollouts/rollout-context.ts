import type { Cluster, Scope, Verb } from '@fleetdeck/shared';

import type { InventorySource } from '../../sources/inventory.ts';
import type { ApproverRule } from '../policy.ts';
import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import { allows } from '../scope-checks.ts';

/** What the access rules need to know of a cluster, from the inventory. */
export interface ClusterFacts {
  tenant: string;
  environment: string;
  /** The inventory's `region` label. */
  region?: string;
}

/** The inventory and the namespace → tenant mapping, as of one moment. */
export interface RolloutAccessContext {
  cluster(name: string): ClusterFacts | undefined;
  /** Maps a hub namespace to the tenant owning the namespaced runs in it (`rollouts.tenantNamespace`). */
  tenantForNamespace(namespace: string): string | undefined;
  /** The access policy's approver rules (none: every wave needs one approval). */
  approvers?: readonly ApproverRule[];
}

/** The person a view is made for. */
export interface Viewer {
  scope: Scope;
  user: string;
  /** The person's groups, when known: the approver policy's group requirements are judged on them. */
  groups?: readonly string[];
}

/** A context over a list of clusters (an inventory snapshot). */
export function accessContext(
  clusters: readonly Pick<Cluster, 'name' | 'tenant' | 'environment' | 'labels'>[],
  tenantForNamespace: (namespace: string) => string | undefined,
  approvers: readonly ApproverRule[] = [],
): RolloutAccessContext {
  const byName = new Map<string, ClusterFacts>();
  for (const c of clusters) {
    const region = c.labels.region;
    byName.set(c.name, { tenant: c.tenant, environment: c.environment, ...(region !== undefined && { region }) });
  }
  return { cluster: (name) => byName.get(name), tenantForNamespace, approvers };
}

/** `fleet-{tenant}` → a function from namespace to tenant (undefined when the namespace does not fit). */
export function tenantNamespaceMapper(template: string): (namespace: string) => string | undefined {
  const [prefix = '', suffix = ''] = template.split('{tenant}');
  return (namespace) => {
    if (namespace.length <= prefix.length + suffix.length || !namespace.startsWith(prefix) || !namespace.endsWith(suffix)) return undefined;
    return namespace.slice(prefix.length, namespace.length - suffix.length);
  };
}

/** A grant with this verb over every tenant and every environment. */
export function fleetWide(scope: Scope, verb: Verb): boolean {
  return scope.grants.some((g) => g.verbs.includes(verb) && g.tenants === '*' && g.environments === '*');
}

/**
 * Whether the person holds `verb` on the named cluster. A cluster the inventory does not
 * know has no tenant to judge it by: only fleet-wide grants cover it (deny by default).
 */
export function allowsCluster(scope: Scope, verb: Verb, name: string, ctx: RolloutAccessContext): boolean {
  const facts = ctx.cluster(name);
  return facts ? allows(scope, verb, facts) : fleetWide(scope, verb);
}

/** Whether some grant with this verb names the tenant (or every tenant). */
export function holdsTenant(scope: Scope, verb: Verb, tenant: string | undefined): boolean {
  return scope.grants.some((g) => g.verbs.includes(verb) && (g.tenants === '*' || (tenant !== undefined && g.tenants.includes(tenant))));
}

/**
 * Who owns a run. A KubeFleet namespaced run (and a demo run with a namespace) belongs to
 * the tenant of its hub namespace; Fleet bundles live in Fleet workspaces, not tenant
 * namespaces, so they count as fleet-wide like cluster-scoped runs. A namespaced run in a
 * namespace that maps to no tenant belongs to nobody: only grants over every tenant reach it.
 * Argo CD ApplicationSets usually live in Argo CD's own namespace: judged by their clusters
 * like Fleet bundles, unless their namespace is a tenant's.
 */
export function ownership(r: SourceRollout, ctx: RolloutAccessContext): { namespaced: boolean; tenant: string | undefined } {
  if (r.namespace && r.source !== 'rancher-fleet' && (r.source !== 'argocd' || ctx.tenantForNamespace(r.namespace) !== undefined)) {
    return { namespaced: true, tenant: ctx.tenantForNamespace(r.namespace) ?? r.tenant };
  }
  let tenant: string | undefined;
  for (const name of r.touches) {
    const t = ctx.cluster(name)?.tenant;
    if (t === undefined || (tenant !== undefined && t !== tenant)) return { namespaced: false, tenant: undefined };
    tenant = t;
  }
  return { namespaced: false, tenant };
}

const NO_APPROVERS: readonly ApproverRule[] = [];
// Per inventory, one context per approver rule list (the policy's list is one object for the process's life).
type KeptContexts = Map<readonly ApproverRule[], { version: number; template: string; ctx: RolloutAccessContext }>;
const contexts = new WeakMap<InventorySource, KeptContexts>();

/** The context for the inventory as it is now, built once per inventory version (and approver policy). */
export function currentContext(
  inventory: InventorySource,
  tenantNamespace: string,
  approvers: readonly ApproverRule[] = NO_APPROVERS,
): RolloutAccessContext {
  const snapshot = inventory.snapshot();
  let byPolicy = contexts.get(inventory);
  if (!byPolicy) {
    byPolicy = new Map() as KeptContexts;
    contexts.set(inventory, byPolicy);
  }
  const kept = byPolicy.get(approvers);
  if (kept && kept.version === snapshot.version && kept.template === tenantNamespace) return kept.ctx;
  const ctx = accessContext(snapshot.clusters, tenantNamespaceMapper(tenantNamespace), approvers);
  byPolicy.set(approvers, { version: snapshot.version, template: tenantNamespace, ctx });
  return ctx;
}
