import { compileSelector, facetsOf, parseSelector, type Cluster, type Facets, type FleetTree, type Selector } from '@fleetdeck/shared';

/** One line of the virtualised fleet table: a tenant heading, an environment heading, or a cluster. */
export type Row =
  | { kind: 'tenant'; key: string; tenant: string; count: number; attention: number }
  | { kind: 'environment'; key: string; tenant: string; environment: string; count: number }
  | { kind: 'cluster'; key: string; cluster: Cluster };

export interface Selection {
  rows: Row[];
  clusters: Cluster[];
  facets: Facets;
}

export type ParsedSelector = { ok: true; selector: Selector } | { ok: false; message: string; position: number };

export function tryParseSelector(text: string): ParsedSelector {
  try {
    return { ok: true, selector: parseSelector(text) };
  } catch (err) {
    const e = err as { message: string; position?: number };
    return { ok: false, message: e.message, position: e.position ?? 0 };
  }
}

/**
 * Applies the selector (the same parser and matcher the BFF uses) and an optional state
 * filter to the tree the person may see, and flattens what is left into table rows.
 * Linear in the number of clusters, so a keystroke repaints at once even at thousands.
 */
export function selectRows(tree: FleetTree, selector: Selector, state?: string): Selection {
  const matches = compileSelector(selector);
  const rows: Row[] = [];
  const clusters: Cluster[] = [];
  for (const tenant of tree.tenants) {
    const envRows: Row[] = [];
    let tenantCount = 0;
    let attention = 0;
    for (const env of tenant.environments) {
      const picked = env.clusters.filter((c) => matches(c) && (!state || c.state === state));
      if (picked.length === 0) continue;
      tenantCount += picked.length;
      attention += picked.filter((c) => c.state !== 'Ready').length;
      envRows.push({
        kind: 'environment',
        key: `${tenant.id}/${env.name}`,
        tenant: tenant.id,
        environment: env.name,
        count: picked.length,
      });
      for (const c of picked) envRows.push({ kind: 'cluster', key: c.name, cluster: c });
      clusters.push(...picked);
    }
    if (tenantCount === 0) continue;
    rows.push({ kind: 'tenant', key: tenant.id, tenant: tenant.id, count: tenantCount, attention }, ...envRows);
  }
  return { rows, clusters, facets: facetsOf(clusters) };
}
