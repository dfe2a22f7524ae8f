/**
 * RE2 text for the enforced matchers of both query languages. Loki and Prometheus anchor
 * label-matcher regexes fully (`^(?:…)$`), so an alternation needs no anchors of its own. Everything but
 * `[A-Za-z0-9_-]` is escaped: ASCII punctuation as `\c` (RE2: a backslash before any
 * ASCII punctuation is that character), anything else as `\x{…}` — the regex text is
 * printable ASCII whatever the names hold, so quoting it as a LogQL string is trivial.
 */

const PLAIN = /^[A-Za-z0-9_-]$/;

/** A regex matching exactly `text`. Throws on a lone surrogate (no such name exists). */
export function re2Literal(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new RangeError('name holds a lone surrogate');
    if (PLAIN.test(ch)) out += ch;
    else if (cp >= 0x21 && cp <= 0x7e) out += `\\${ch}`;
    else out += `\\x{${cp.toString(16)}}`;
  }
  return out;
}

/**
 * A glob (`*` any run, `?` one character) as RE2. A glob of stars only becomes `.+`,
 * not `.*`: an anchored `.*` also matches the empty string, i.e. streams with no
 * `namespace` label at all (node and cluster-scoped logs), which a namespace grant
 * does not cover.
 */
export function globToRe2(glob: string): string {
  if (glob === '') throw new RangeError('empty glob');
  if (/^\*+$/.test(glob)) return '.+';
  let out = '';
  for (const ch of glob) out += ch === '*' ? '.*' : ch === '?' ? '.' : re2Literal(ch);
  return out;
}

/** A LogQL (Go) double-quoted string literal for printable-ASCII text. */
export function logqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
