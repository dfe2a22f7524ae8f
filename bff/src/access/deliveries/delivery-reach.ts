import { compileGlob, type AnyOrList, type Cluster, type GlobMatcher, type Scope, type Verb } from '@fleetdeck/shared';

import { allows } from '../scope-checks.ts';

export type InventoryCluster = Pick<Cluster, 'name' | 'tenant' | 'environment'>;

/** A namespace test: every namespace, or the person's globs. */
export type NamespaceTest = '*' | readonly GlobMatcher[];

/** What one person may do on one cluster they may see. */
export interface ClusterReach {
  cluster: InventoryCluster;
  /** The namespaces their `view` grants cover there. */
  view: NamespaceTest;
  /** The namespaces their `operate` grants cover there (an empty list: none). */
  operate: NamespaceTest;
}

/** One person's reach over the inventory: only clusters they may see are in `clusters`. */
export interface Reach {
  clusters: ReadonlyMap<string, ClusterReach>;
  /** A `view` grant over every tenant, environment and namespace: sees what maps to no cluster. */
  wholeView: boolean;
  /** The same for `operate`: may act on what maps to no cluster. */
  wholeOperate: boolean;
}

const whole = (g: Scope['grants'][number], verb: Verb) =>
  g.verbs.includes(verb) && g.tenants === '*' && g.environments === '*' && g.namespaces === '*';

const covers = (list: AnyOrList, value: string) => list === '*' || list.includes(value);

/** The namespace globs the person's grants with `verb` allow on this cluster (`'*'`: all of them). */
function patternsFor(scope: Scope, verb: Verb, cluster: InventoryCluster): NamespaceTest {
  const globs: GlobMatcher[] = [];
  for (const g of scope.grants) {
    if (!g.verbs.includes(verb) || !covers(g.tenants, cluster.tenant) || !covers(g.environments, cluster.environment)) continue;
    if (g.namespaces === '*') return '*';
    for (const n of g.namespaces) globs.push(compileGlob(n));
  }
  return globs;
}

export function reachOf(scope: Scope, clusters: readonly InventoryCluster[]): Reach {
  const out = new Map<string, ClusterReach>();
  for (const c of clusters) {
    if (!allows(scope, 'view', c)) continue;
    out.set(c.name, { cluster: c, view: patternsFor(scope, 'view', c), operate: patternsFor(scope, 'operate', c) });
  }
  return {
    clusters: out,
    wholeView: scope.grants.some((g) => whole(g, 'view')),
    wholeOperate: scope.grants.some((g) => whole(g, 'operate')),
  };
}

/** Whether the test admits this namespace; `undefined` (cluster-scoped, or the whole cluster) only under `'*'`. */
export function admits(test: NamespaceTest, namespace: string | undefined): boolean {
  if (test === '*') return true;
  return namespace !== undefined && test.some((m) => m(namespace));
}
