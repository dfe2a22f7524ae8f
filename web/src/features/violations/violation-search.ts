import { z } from 'zod/mini';

import {
  ViolationAction,
  ViolationEngine,
  ViolationSeverity,
  ViolationSort,
  ViolationTrendRange,
  apiPaths,
  apiUrl,
  type ViolationFilters,
  type ViolationListQuery,
} from '@fleetdeck/shared';

const short = z.string().check(z.minLength(1), z.maxLength(253));
/** A search value that does not parse is dropped, not an error: an old or edited link still opens. */
const opt = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

export const ViolationGroup = z.enum(['policy', 'cluster', 'namespace']);
export type ViolationGroup = z.infer<typeof ViolationGroup>;

/** The Violations page's state as it lives in the URL: every filter of the API, sort, grouping and the trend range. */
export const ViolationsSearch = z.object({
  tenant: opt(short),
  cluster: opt(short),
  env: opt(short),
  engine: opt(ViolationEngine),
  policy: opt(short),
  severity: opt(ViolationSeverity),
  action: opt(ViolationAction),
  namespace: opt(short),
  kind: opt(short),
  q: opt(z.string().check(z.minLength(1), z.maxLength(200))),
  sort: opt(ViolationSort),
  order: opt(z.enum(['asc', 'desc'])),
  group: opt(ViolationGroup),
  range: opt(ViolationTrendRange),
});
export type ViolationsSearch = z.infer<typeof ViolationsSearch>;

export const FILTER_KEYS = ['tenant', 'cluster', 'env', 'engine', 'policy', 'severity', 'action', 'namespace', 'kind', 'q'] as const;

/** The URL's filters as the API's (undefined ones left out, so equal filters make equal query keys). */
export function filtersOf(search: ViolationsSearch): ViolationFilters {
  // Each value comes from the validated search, whose schema is the API's filters' own.
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The list query: the filters plus sort and order (the cursor is the page parameter). */
export function listQueryOf(search: ViolationsSearch): Omit<ViolationListQuery, 'cursor' | 'limit'> {
  return {
    ...filtersOf(search),
    ...(search.sort && { sort: search.sort }),
    ...(search.order && { order: search.order }),
  };
}

/** The CSV download of exactly what the page filters to (a plain link: the browser downloads it with the session cookie). */
export function csvHref(filters: ViolationFilters): string {
  return apiUrl(apiPaths.violationsCsv, {}, filters);
}

export const hasFilters = (search: ViolationsSearch): boolean => FILTER_KEYS.some((k) => search[k] !== undefined);

/** What the page asks for under these search params (the route's loader prefetches the same). */
export function violationsQueriesOf(search: ViolationsSearch) {
  return {
    filters: filtersOf(search),
    list: listQueryOf(search),
    coverage: { ...(search.cluster && { cluster: search.cluster }), ...(search.tenant && { tenant: search.tenant }) },
  };
}
