/** Label selectors, Go durations and int-or-percent limits as Kubernetes and KubeFleet read them. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && values.includes(value!)
        : e.operator === 'NotIn'
          ? !has || !values.includes(value!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Go duration strings as KubeFleet's waitTime uses them ("1h", "90s", "1h30m"). */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || text === '') throw new Error(`bad duration ${text}`);
  return total;
}

/** KubeFleet's maxConcurrency: int or "N%", default 1, percent rounded down, at least 1. */
export function concurrencyOf(maxConcurrency: number | string | undefined, clusterCount: number): number {
  if (maxConcurrency === undefined) return 1;
  if (typeof maxConcurrency === 'number') return Math.max(1, maxConcurrency);
  const pct = /^(\d+)%$/.exec(maxConcurrency);
  if (pct) return Math.max(1, Math.floor((Number(pct[1]) / 100) * clusterCount));
  const n = Number(maxConcurrency);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Fleet's int-or-percent limits (maxUnavailable): percent of `count`, rounded up. */
export function scaledLimit(value: number | string | undefined, count: number, fallback: number | string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return Math.max(0, v);
  const pct = /^(\d+)%$/.exec(v);
  if (pct) return Math.ceil((Number(pct[1]) / 100) * count);
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
