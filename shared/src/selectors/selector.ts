/**
 * Cluster selectors, as the brief writes them, in one box:
 *
 *   env=production,client=acme,region=us-east   labels (=, ==, !=), AND-ed by commas
 *   tier in (edge,canary), env notin (dev)      set-based label requirements
 *   region, !region                              label exists / does not exist
 *   cluster-prod-*, *-staging-*                  cluster name globs (* and ?)
 *   client-a/*, edge-clusters/edge-retail-00?    group / name glob (a group is a tenant or a named cluster group)
 *   name:prod-us-east                            an exact name or glob, explicitly
 *   group:edge-clusters                          every cluster of a group
 *   annotation:compliance=pci                    annotations, with the label operators
 *
 * One parser for the BFF and the web. Errors carry the offending character's position.
 */
import { MAX_GLOB_LENGTH, compileGlob } from './glob.ts';

export type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists';

export type Requirement =
  | { kind: 'label' | 'annotation'; key: string; op: LabelOp; values: string[] }
  | { kind: 'name'; glob: string }
  | { kind: 'group'; group: string; glob: string };

export interface Selector {
  source: string;
  requirements: Requirement[];
}

export class SelectorError extends Error {
  override name = 'SelectorError';
  /** Zero-based index of the offending character in the selector text. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} (at character ${position + 1})`);
    this.position = position;
  }
}

// Kubernetes qualified names: an optional DNS prefix and "/", then a name.
const KEY = /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const GLOB = /^[a-z0-9*?](?:[-a-z0-9.*?]*[a-z0-9*?])?$/;
const GROUP = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MAX_LENGTH = 2048;
// Kubernetes' own limits; checked before any pattern runs, so every check is on a short string.
const MAX_LEN: Record<string, number> = { key: 317, value: 63, group: 253, 'cluster name glob': MAX_GLOB_LENGTH };

/** Splits on top-level commas (not those inside `in (…)`), keeping each term's offset. */
function splitTerms(text: string): { term: string; at: number }[] {
  const terms: { term: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) throw new SelectorError('unexpected ")"', i);
    } else if ((c === ',' && depth === 0) || i === text.length) {
      if (i === text.length && depth > 0) throw new SelectorError('missing ")"', text.length - 1);
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      terms.push({ term: raw.trim(), at: start + lead });
      start = i + 1;
    }
  }
  return terms;
}

function check(re: RegExp, value: string, what: string, at: number): string {
  const max = MAX_LEN[what];
  if (max !== undefined && value.length > max) throw new SelectorError(`${what} longer than ${max} characters`, at + max);
  if (re.test(value)) return value;
  // Point at the first character that cannot belong, or at the start when it is the shape.
  const bad = [...value].findIndex((ch) => !/[-A-Za-z0-9_./*?]/.test(ch));
  throw new SelectorError(`invalid ${what} "${value}"`, at + (bad >= 0 ? bad : 0));
}

function labelRequirement(kind: 'label' | 'annotation', term: string, at: number): Requirement {
  const set = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, 'in' | 'notin', string];
    check(KEY, key, 'key', at);
    const listAt = at + term.indexOf('(') + 1;
    const values = list.split(',').map((v, i, all) => {
      const offset = listAt + all.slice(0, i).join(',').length + (i > 0 ? 1 : 0);
      const value = v.trim();
      return check(VALUE, value, 'value', offset + (v.length - v.trimStart().length));
    });
    if (values.length === 0 || values.every((v) => v === '')) throw new SelectorError(`"${op}" needs at least one value`, listAt);
    return { kind, key, op, values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (eq) {
    const [, key, rawOp, value] = eq as unknown as [string, string, string, string];
    check(KEY, key, 'key', at);
    check(VALUE, value, 'value', at + term.length - value.length);
    return { kind, key, op: rawOp === '!=' ? '!=' : '=', values: [value] };
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    check(KEY, key, 'key', at + 1);
    return { kind, key, op: '!exists', values: [] };
  }
  const opAt = term.search(/[=!<>~]/);
  if (opAt >= 0) throw new SelectorError(`unexpected "${term[opAt]}"`, at + opAt);
  check(KEY, term, 'key', at);
  return { kind, key: term, op: 'exists', values: [] };
}

function groupRequirement(spec: string, at: number): Requirement {
  const slash = spec.indexOf('/');
  const group = slash < 0 ? spec : spec.slice(0, slash);
  const glob = slash < 0 ? '*' : spec.slice(slash + 1);
  check(GROUP, group, 'group', at);
  check(GLOB, glob, 'cluster name glob', at + slash + 1);
  return { kind: 'group', group, glob };
}

function parseTerm(term: string, at: number): Requirement {
  if (term === '') throw new SelectorError('empty term (two commas in a row, or a trailing comma)', at);
  const prefixed = /^(name|group|annotation|label):(.*)$/.exec(term);
  if (prefixed) {
    const [, prefix, rest] = prefixed as unknown as [string, string, string];
    const restAt = at + prefix.length + 1;
    if (rest.trim() === '') throw new SelectorError(`"${prefix}:" needs something after it`, restAt);
    if (prefix === 'name') return { kind: 'name', glob: check(GLOB, rest.trim(), 'cluster name glob', restAt) };
    if (prefix === 'group') return groupRequirement(rest.trim(), restAt);
    return labelRequirement(prefix === 'annotation' ? 'annotation' : 'label', rest.trim(), restAt);
  }
  const hasOp = /[=!]|\s(in|notin)\s*\(/.test(term);
  if (!hasOp && term.includes('/')) return groupRequirement(term, at);
  if (!hasOp && /[*?]/.test(term)) return { kind: 'name', glob: check(GLOB, term, 'cluster name glob', at) };
  return labelRequirement('label', term, at);
}

export function parseSelector(text: string): Selector {
  if (text.length > MAX_LENGTH) throw new SelectorError(`selector longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  if (text.trim() === '') return { source: text, requirements: [] };
  return { source: text, requirements: splitTerms(text).map(({ term, at }) => parseTerm(term, at)) };
}

/** What a selector needs to know of a cluster. */
export interface Selectable {
  name: string;
  tenant: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  groups?: readonly string[];
}

function labelMatches(map: Record<string, string>, r: { key: string; op: LabelOp; values: string[] }): boolean {
  const has = Object.hasOwn(map, r.key);
  const v = map[r.key];
  switch (r.op) {
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!exists':
      return !has;
  }
}

/** Compiles once; the returned predicate is what runs per cluster. */
export function compileSelector(selector: Selector): (cluster: Selectable) => boolean {
  const checks = selector.requirements.map((r): ((c: Selectable) => boolean) => {
    switch (r.kind) {
      case 'label':
        return (c) => labelMatches(c.labels, r);
      case 'annotation':
        return (c) => labelMatches(c.annotations, r);
      case 'name': {
        const matches = compileGlob(r.glob);
        return (c) => matches(c.name);
      }
      case 'group': {
        const matches = compileGlob(r.glob);
        return (c) => (c.tenant === r.group || (c.groups ?? []).includes(r.group)) && matches(c.name);
      }
    }
  });
  return (c) => checks.every((f) => f(c));
}
