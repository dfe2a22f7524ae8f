import { describe, expect, it } from 'vitest';

import { splitHighlight } from '../../../src/features/logs/highlight.ts';

const marked = (text: string, needles: string[]) =>
  splitHighlight(text, needles)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('');

describe('search highlighting', () => {
  it('marks every case-insensitive occurrence and keeps the text whole', () => {
    const text = 'Timeout talking to db; TIMEOUT again';
    expect(marked(text, ['timeout'])).toBe('[Timeout] talking to db; [TIMEOUT] again');
    expect(
      splitHighlight(text, ['timeout'])
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it('treats pattern characters as plain text', () => {
    expect(marked('a.b a*b (x|y) a.b', ['a.b'])).toBe('[a.b] a*b (x|y) [a.b]');
    expect(marked('(x|y) xy', ['(x|y)'])).toBe('[(x|y)] xy');
    expect(marked('aaa', ['.*'])).toBe('aaa');
  });

  it('takes several needles, earliest first and the longest on a tie', () => {
    expect(marked('error: connection refused', ['refused', 'conn', 'connection'])).toBe('error: [connection] [refused]');
    expect(marked('abcabc', ['bc', 'abc'])).toBe('[abc][abc]');
  });

  it('ignores empty needles and returns the line as one run without any', () => {
    expect(splitHighlight('plain', [])).toEqual([{ text: 'plain', match: false }]);
    expect(splitHighlight('plain', [''])).toEqual([{ text: 'plain', match: false }]);
    expect(splitHighlight('', ['x'])).toEqual([{ text: '', match: false }]);
  });

  it('does not loop on overlapping matches', () => {
    expect(marked('aaaa', ['aa'])).toBe('[aa][aa]');
  });
});
