import { SelectorError, compileSelector, parseSelector, type DeliveryFilters, type Requirement } from '@fleetdeck/shared';

import type { InventoryCluster } from './delivery-reach.ts';
import type { ScopedDelivery } from './delivery-scope.ts';

/** A labels filter the API refuses: the message names the offending position (the route makes it a 400). */
export class BadLabels extends Error {
  override name = 'BadLabels';
}

/** Each top-level term's offset (commas inside `in (…)` do not split), as the shared parser splits them. */
function termOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      const raw = text.slice(start, i);
      out.push(start + raw.length - raw.trimStart().length);
      start = i + 1;
    }
  }
  return out;
}

const WHAT: Record<Exclude<Requirement['kind'], 'label'>, string> = {
  name: 'a cluster name pattern',
  group: 'a cluster group',
  annotation: 'an annotation requirement',
};

/**
 * Our selector syntax, label requirements only: they match a delivery's own labels (Argo
 * CD's `--selector env=production`). Cluster names, groups and annotations mean nothing
 * for a delivery and are refused, naming where. Throws BadLabels.
 */
export function labelMatcher(text: string): (labels: Readonly<Record<string, string>>) => boolean {
  let selector;
  try {
    selector = parseSelector(text);
  } catch (err) {
    if (err instanceof SelectorError) throw new BadLabels(err.message);
    throw err;
  }
  const offsets = termOffsets(text);
  selector.requirements.forEach((r, i) => {
    if (r.kind !== 'label')
      throw new BadLabels(
        `${WHAT[r.kind]} is not a label requirement; deliveries match on their own labels only (at character ${(offsets[i] ?? 0) + 1})`,
      );
  });
  const match = compileSelector(selector);
  return (labels) => match({ name: '', tenant: '', labels: { ...labels }, annotations: {} });
}

/** The filters that decide whether a delivery is in at all (not which of its clusters). */
export function deliveryMatcher(f: DeliveryFilters): (s: ScopedDelivery) => boolean {
  const labels = f.labels === undefined || f.labels.trim() === '' ? undefined : labelMatcher(f.labels);
  const q = f.q?.trim().toLowerCase();
  return (s) => {
    const d = s.summary;
    if (f.engine !== undefined && d.engine !== f.engine) return false;
    if (f.tenant !== undefined && d.tenant !== f.tenant) return false;
    if (labels && !labels(d.labels)) return false;
    if (q) {
      const text = [d.name, d.namespace, d.repo, d.branch, d.revision, d.renderedCommit].filter(Boolean).join('\u0000').toLowerCase();
      if (!text.includes(q)) return false;
    }
    return true;
  };
}

/** The filters on where: a target counts when its cluster is the one asked and of the environment asked. */
export function targetMatcher(
  f: DeliveryFilters,
  clusterOf: (name: string) => InventoryCluster | undefined,
): ((cluster: string) => boolean) | undefined {
  if (f.cluster === undefined && f.env === undefined) return undefined;
  return (name) => (f.cluster === undefined || name === f.cluster) && (f.env === undefined || clusterOf(name)?.environment === f.env);
}
