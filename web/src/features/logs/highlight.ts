/** A run of a line's text, and whether it matched one of the searched strings. */
export interface Segment {
  text: string;
  match: boolean;
}

/**
 * `text` cut into matching and non-matching runs for the given needles (plain
 * substrings, case-insensitive; empty needles are ignored). At each point the earliest
 * match wins, the longest needle on a tie. No pattern is built from what a person typed.
 */
export function splitHighlight(text: string, needles: readonly string[]): Segment[] {
  const wanted = needles.filter((n) => n.length > 0).map((n) => n.toLowerCase());
  if (wanted.length === 0 || text.length === 0) return [{ text, match: false }];
  const lower = text.toLowerCase();
  // toLowerCase can change a string's length (e.g. 'İ'); offsets would no longer line up.
  if (lower.length !== text.length) return [{ text, match: false }];
  const next = wanted.map((n) => lower.indexOf(n));
  const out: Segment[] = [];
  let pos = 0;
  for (;;) {
    let best = -1;
    for (let i = 0; i < wanted.length; i++) {
      if (next[i]! >= 0 && next[i]! < pos) next[i] = lower.indexOf(wanted[i]!, pos);
      const at = next[i]!;
      if (at < 0) continue;
      if (best < 0 || at < next[best]! || (at === next[best]! && wanted[i]!.length > wanted[best]!.length)) best = i;
    }
    if (best < 0) break;
    const at = next[best]!;
    if (at > pos) out.push({ text: text.slice(pos, at), match: false });
    pos = at + wanted[best]!.length;
    out.push({ text: text.slice(at, pos), match: true });
  }
  if (pos < text.length) out.push({ text: text.slice(pos), match: false });
  return out;
}
