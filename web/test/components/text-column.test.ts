import { describe, expect, it } from 'vitest';

import { formatRelative } from '../../src/components/relative-time.tsx';
import { textColumn } from '../../src/components/text-column.ts';

describe('textColumn', () => {
  it('pads short text and cuts long text with an ellipsis, always to the width', () => {
    expect(textColumn('web-0', 8)).toBe('web-0   ');
    expect(textColumn('checkout-7d9f8-abcde', 8)).toBe('checkou…');
    expect(textColumn('exactly8', 8)).toBe('exactly8');
    for (const t of ['', 'a', 'no level', 'a much longer pod name than fits']) expect(textColumn(t, 10)).toHaveLength(10);
  });
});

describe('formatRelative (remembered texts)', () => {
  it('answers what Intl answers, for every unit, both directions, over and over', () => {
    const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    const ref = Date.parse('2026-11-26T12:00:00Z');
    const cases: [number, string][] = [
      [0, rtf.format(0, 'second')],
      [-45_000, rtf.format(-45, 'second')],
      [-3 * 60_000, rtf.format(-3, 'minute')],
      [2 * 3_600_000, rtf.format(2, 'hour')],
      [-86_400_000, rtf.format(-1, 'day')],
      [-9 * 86_400_000, rtf.format(-9, 'day')],
    ];
    for (let round = 0; round < 3; round++)
      for (const [delta, text] of cases) expect(formatRelative(new Date(ref + delta), ref)).toBe(text);
  });
});
