import type { SyntaxNode } from '@lezer/common';

import { LogQLError } from './errors.ts';

/** Every descendant named `name`, in document order, not descending into matches. */
export function collect(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  walk(node);
  return out;
}

/** The node's direct children, in order. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** A LogQL string literal's value: Go-style double quotes (JSON escapes) or raw backticks. */
export function unquote(text: string, position: number): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    throw new LogQLError(`bad string literal ${text}`, position);
  }
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

/** A LogQL range duration (`5m`, `1h30m`) in nanoseconds. Integer parts only, as Loki's ranges are. */
export function durationNs(text: string, position: number): bigint {
  let total = 0n;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d{1,12})(ns|us|µs|ms|s|m|h|d|w|y)/.exec(rest);
    if (!m) throw new LogQLError(`bad duration ${JSON.stringify(text)}`, position);
    total += BigInt(m[1]!) * UNIT_NS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (total <= 0n) throw new LogQLError(`bad duration ${JSON.stringify(text)}`, position);
  return total;
}
