/** `text` in exactly `width` characters, cut with an ellipsis or padded with spaces: a column of monospaced text. */
export function textColumn(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
