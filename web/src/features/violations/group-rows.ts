import type { Violation } from '@fleetdeck/shared';

import type { ViolationGroup } from './violation-search.ts';

export type TableRow = { kind: 'group'; key: string; label: string; count: number } | { kind: 'item'; key: string; violation: Violation };

export function resourceText(v: Violation): string {
  const r = v.resource;
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function groupOf(v: Violation, by: ViolationGroup): string {
  switch (by) {
    case 'policy':
      return v.policy;
    case 'cluster':
      return v.cluster;
    case 'namespace':
      return `${v.cluster} / ${v.resource.namespace ?? '(cluster-scoped)'}`;
  }
}

/**
 * The loaded rows under a heading per group, groups in the order the server's sort
 * first shows them and rows in that order within; counts are of the loaded rows.
 */
export function groupRows(items: readonly Violation[], by: ViolationGroup): TableRow[] {
  const groups = new Map<string, Violation[]>();
  for (const v of items) {
    const g = groupOf(v, by);
    const list = groups.get(g);
    if (list) list.push(v);
    else groups.set(g, [v]);
  }
  const out: TableRow[] = [];
  for (const [label, list] of groups) {
    out.push({ kind: 'group', key: `g:${label}`, label, count: list.length });
    for (const v of list) out.push({ kind: 'item', key: v.id, violation: v });
  }
  return out;
}
