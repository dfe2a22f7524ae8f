/**
 * The `| json` and `| logfmt` parsers as Loki runs them: extracted keys become labels
 * (sanitised to [A-Za-z0-9_], nested JSON objects joined with "_", arrays skipped); a key
 * that names an existing label is added as `<key>_extracted`; a line that does not parse
 * keeps what was extracted and gets `__error__` (JSONParserErr / LogfmtParserErr), so
 * `| __error__=""` can drop it.
 */

export const ERROR_LABEL = '__error__';
export const ERROR_DETAILS_LABEL = '__error_details__';

export function sanitizeLabelName(key: string): string {
  let out = '';
  for (const ch of key) out += /[A-Za-z0-9_]/.test(ch) ? ch : '_';
  if (out === '' || /[0-9]/.test(out[0]!)) out = `_${out}`;
  return out;
}

function add(labels: Record<string, string>, original: ReadonlySet<string>, key: string, value: string): void {
  const name = sanitizeLabelName(key);
  labels[original.has(name) ? `${name}_extracted` : name] = value;
}

export function parseJsonInto(line: string, labels: Record<string, string>): void {
  const original = new Set(Object.keys(labels));
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    labels[ERROR_LABEL] = 'JSONParserErr';
    labels[ERROR_DETAILS_LABEL] = (err as Error).message;
    return;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    labels[ERROR_LABEL] = 'JSONParserErr';
    labels[ERROR_DETAILS_LABEL] = 'the line is not a JSON object';
    return;
  }
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix === '' ? k : `${prefix}_${k}`;
      if (v === null || Array.isArray(v)) continue;
      if (typeof v === 'object') walk(v as Record<string, unknown>, key);
      else if (typeof v === 'string') add(labels, original, key, v);
      // JSON.parse yields only numbers and booleans besides: both print as JSON wrote them.
      else if (typeof v === 'number' || typeof v === 'boolean') add(labels, original, key, String(v));
    }
  };
  walk(doc as Record<string, unknown>, '');
}

/** logfmt: `key=value`, `key="quoted \" value"`, bare `key` (empty value), separated by spaces. */
export function parseLogfmtInto(line: string, labels: Record<string, string>): void {
  const original = new Set(Object.keys(labels));
  let i = 0;
  const n = line.length;
  const isSpace = (c: string) => c === ' ' || c === '\t';
  while (i < n) {
    while (i < n && isSpace(line[i]!)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && !isSpace(line[i]!)) {
      if (line[i] === '"') return fail(labels, `unexpected quote at ${i}`);
      i++;
    }
    const key = line.slice(keyStart, i);
    if (key === '') return fail(labels, `unexpected "=" at ${i}`);
    if (i >= n || line[i] !== '=') {
      add(labels, original, key, '');
      continue;
    }
    i++; // '='
    if (line[i] === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) return fail(labels, 'unterminated quoted value');
      add(labels, original, key, value);
    } else {
      const valueStart = i;
      while (i < n && !isSpace(line[i]!)) i++;
      add(labels, original, key, line.slice(valueStart, i));
    }
  }
}

function fail(labels: Record<string, string>, details: string): void {
  labels[ERROR_LABEL] = 'LogfmtParserErr';
  labels[ERROR_DETAILS_LABEL] = details;
}
