/** A PromQL string literal: a name is data, never query text. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** RE2 (PromQL's regex dialect, linear-time) for "any of these namespace globs". */
export function namespaceRegex(globs: readonly string[]): string {
  const one = (g: string) =>
    g
      .replace(/[\\.+^$()|[\]{}]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
  return globs.map(one).join('|');
}
