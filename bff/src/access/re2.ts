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

interface TrieNode {
  /** A name ends here. */
  end: boolean;
  /** Next code point (as text) → node; insertion order is sorted order when names come sorted. */
  next: Map<string, TrieNode>;
}

/** Past this many code points in one name the trie is not worth its depth: the names are joined as they are. */
const TRIE_MAX_NAME = 512;

/**
 * RE2 matching exactly `names` (non-empty strings), factored as a prefix tree:
 * `client-a-(?:dev-(?:001|002)|prod-001)`. Prometheus 2.x (and Loki) compile a label
 * regex for every query; at 1,000 clusters named by a convention this is a fifth of the
 * plain `a|b|c` text (3.9 KB instead of 22.5 KB), and the Health page's nine table queries
 * cost Prometheus 2.42 130 ms of CPU instead of 155. Each piece is escaped one code point at a time (`re2Literal`),
 * so the pieces concatenate exactly; the result is anchored by the caller's engine, as every
 * enforced matcher is. Throws on an empty list, an empty name or a lone surrogate.
 */
export function literalAlternation(names: readonly string[]): string {
  if (names.length === 0) throw new RangeError('no names');
  const unique = [...new Set(names)].sort();
  if (unique.some((n) => n === '')) throw new RangeError('empty name');
  if (unique.some((n) => n.length > TRIE_MAX_NAME)) return unique.map(re2Literal).join('|');
  const root: TrieNode = { end: false, next: new Map() };
  for (const name of unique) {
    let node = root;
    for (const ch of name) {
      let child = node.next.get(ch);
      if (!child) node.next.set(ch, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  return branches(root);
}

/** The suffixes below `node` (which has children) as an alternation: each run of single-child nodes written once. */
function branches(node: TrieNode): string {
  const alternatives: string[] = [];
  for (const [ch, child] of node.next) {
    let text = re2Literal(ch);
    let at = child;
    while (!at.end && at.next.size === 1) {
      const [c, n] = at.next.entries().next().value!;
      text += re2Literal(c);
      at = n;
    }
    if (at.next.size > 0) {
      const below = branches(at);
      // An end here makes the rest optional; otherwise the alternation needs its own group.
      text += at.end ? `(?:${below})?` : `(?:${below})`;
    }
    alternatives.push(text);
  }
  return alternatives.join('|');
}
