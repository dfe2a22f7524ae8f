/**
 * RE2 as the enforcers write it (re2.ts), as an anchored JS RegExp: `\x{…}` becomes UTF-16
 * escapes, so both engines step over a whole code point; everything else they write reads the same.
 */
export function re2Regexp(re: string): RegExp {
  const js = re.replace(/\\x\{([0-9a-f]+)\}/g, (_, hex: string) =>
    String.fromCodePoint(parseInt(hex, 16))
      .split('')
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
  );
  return new RegExp(`^(?:${js})$`, 's');
}
