import { memo, useMemo } from 'react';

import { splitHighlight } from './highlight.ts';

/** A JSON object or array line, indented; other lines as they are. */
export function prettyJson(line: string): string {
  const first = line.trimStart()[0];
  if (first !== '{' && first !== '[') return line;
  try {
    return JSON.stringify(JSON.parse(line), null, 2);
  } catch {
    return line;
  }
}

/** A line's text with the searched strings marked (plain substrings). */
export const LogText = memo(function LogText({ text, needles, prettify }: { text: string; needles: readonly string[]; prettify: boolean }) {
  const segments = useMemo(() => splitHighlight(prettify ? prettyJson(text) : text, needles), [text, needles, prettify]);
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i} className="rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700/70">
            {s.text}
          </mark>
        ) : (
          // Plain text, not an element: a scrolled list sets these for every row coming into view.
          s.text
        ),
      )}
    </>
  );
});
