/**
 * LogQL text the page builds or reads: stream selectors from label choices, the volume
 * query, and the line-filter strings to highlight. Read by hand-written scanners: no
 * pattern is ever built from a person's text (the BFF parses and enforces properly).
 */

/** A label value as a LogQL double-quoted string. */
export function quoteLogQL(value: string): string {
  let out = '"';
  for (const c of value) {
    if (c === '\\' || c === '"') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else out += c;
  }
  return `${out}"`;
}

/** `{a="x", b="y"}` from label choices (empty values skipped); `{cluster=~".+"}` when none: "all I may see". */
export function selectorOf(labels: ReadonlyArray<readonly [string, string | undefined]>): string {
  const parts = labels
    .filter((l): l is readonly [string, string] => l[1] !== undefined && l[1] !== '')
    .map(([k, v]) => `${k}=${quoteLogQL(v)}`);
  return parts.length === 0 ? ALL_STREAMS : `{${parts.join(', ')}}`;
}

/** The exact stream of a label set, as a selector (labels sorted by name): how a stream is shown and matched. */
export function streamSelector(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quoteLogQL(labels[k]!)}`)
    .join(', ')}}`;
}

/** Every stream the person may read (the BFF ANDs their scope in). */
export const ALL_STREAMS = '{cluster=~".+"}';

/** Skips `# …` comments and white space from `i`. */
function skipSpace(q: string, i: number): number {
  while (i < q.length) {
    if (q[i] === '#') {
      while (i < q.length && q[i] !== '\n') i++;
    } else if (q[i] === ' ' || q[i] === '\n' || q[i] === '\t' || q[i] === '\r') i++;
    else break;
  }
  return i;
}

/** A log query starts with its stream selector; anything else (rate(…), sum by …) is a metric query. */
export function isLogQuery(query: string): boolean {
  return query[skipSpace(query, 0)] === '{';
}

/** Reads a "…" (with escapes) or `…` string starting at `i`; returns its value and the index after it. */
function readString(q: string, i: number): { value: string; end: number } | undefined {
  const quote = q[i];
  if (quote === '`') {
    const close = q.indexOf('`', i + 1);
    return close < 0 ? undefined : { value: q.slice(i + 1, close), end: close + 1 };
  }
  if (quote !== '"') return undefined;
  let value = '';
  for (let j = i + 1; j < q.length; j++) {
    const c = q[j]!;
    if (c === '"') return { value, end: j + 1 };
    if (c === '\\' && j + 1 < q.length) {
      const e = q[++j]!;
      value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
    } else value += c;
  }
  return undefined;
}

/**
 * The strings of the query's positive line filters (`|= "x"`, `|~ "x"` is a pattern and
 * not included), for highlighting; strings inside selectors and label filters are skipped.
 */
export function lineFilterTexts(query: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (c === '#') {
      i = skipSpace(query, i);
      continue;
    }
    if (c === '"' || c === '`') {
      i = readString(query, i)?.end ?? query.length;
      continue;
    }
    if (c === '|' && query[i + 1] === '=') {
      let j = skipSpace(query, i + 2);
      // `|= "a" or "b"`: each alternative is a filter too.
      for (;;) {
        const s = readString(query, j);
        if (!s) break;
        if (s.value !== '') out.push(s.value);
        j = skipSpace(query, s.end);
        if (query.startsWith('or', j) && (query[j + 2] === ' ' || query[j + 2] === '"' || query[j + 2] === '`'))
          j = skipSpace(query, j + 2);
        else break;
      }
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

/** Log volume by level over the query's streams and filters: one bucket per `step` (a Loki duration). */
export function volumeQuery(logQuery: string, step: string): string {
  // A new line before the range: a trailing `# comment` in the query must not swallow it.
  return `sum by (level) (count_over_time(${logQuery.trim()}\n[${step}]))`;
}

/** Roughly `buckets` bars over the span, as a whole number of seconds (Loki needs step ≥ 1 s). */
export function volumeStepSeconds(spanSeconds: number, buckets = 60): number {
  const raw = Math.max(1, spanSeconds / buckets);
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
  return nice.find((n) => n >= raw) ?? Math.ceil(raw / 86_400) * 86_400;
}
