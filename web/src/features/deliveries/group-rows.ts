import type { DeliveryGroupBy, DeliveryRow, DeliverySummary } from '@fleetdeck/shared';

export type TableRow =
  { kind: 'group'; key: string; label: string; count: number } | { kind: 'item'; key: string; delivery: DeliverySummary };

const NO_GROUP: Record<Exclude<DeliveryGroupBy, 'none'>, string> = {
  tenant: '(no tenant)',
  repo: '(no repo)',
  cluster: '(no cluster)',
};

/**
 * The loaded rows under a heading per group, in the server's order (it sorts by group
 * first); counts are of the loaded rows. Grouped by cluster, a delivery appears under each
 * cluster it reaches, so a row's key is its group and id together.
 */
export function groupRows(rows: readonly DeliveryRow[], by: DeliveryGroupBy): TableRow[] {
  const seen = new Set<string>();
  if (by === 'none') {
    const out: TableRow[] = [];
    for (const r of rows) {
      if (seen.has(r.delivery.id)) continue;
      seen.add(r.delivery.id);
      out.push({ kind: 'item', key: r.delivery.id, delivery: r.delivery });
    }
    return out;
  }
  const groups = new Map<string, DeliverySummary[]>();
  for (const r of rows) {
    const label = r.group ?? NO_GROUP[by];
    const key = `${label}\u0000${r.delivery.id}`;
    // A row that moved between pages while paging (live changes) is shown once.
    if (seen.has(key)) continue;
    seen.add(key);
    const list = groups.get(label);
    if (list) list.push(r.delivery);
    else groups.set(label, [r.delivery]);
  }
  const out: TableRow[] = [];
  for (const [label, list] of groups) {
    out.push({ kind: 'group', key: `g:${label}`, label, count: list.length });
    for (const d of list) out.push({ kind: 'item', key: `${label}\u0000${d.id}`, delivery: d });
  }
  return out;
}

/** Visible clusters by state, worst first as the server ranked them: "3 Ready, 1 OutOfSync". */
export function byStatusText(byStatus: Readonly<Record<string, number>>): string {
  return Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`)
    .join(', ');
}
