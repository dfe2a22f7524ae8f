import { describe, expect, it } from 'vitest';

import { backfillStartSeconds } from '../../src/prom/backfill.ts';

// 2026-11-26T18:00:00Z, a 2 h block boundary of promtool's rule importer.
const BOUNDARY = Date.UTC(2026, 10, 26, 18) / 1000;

describe('the start given to promtool’s rule backfill', () => {
  it('moves to the next block boundary when less than an evaluation interval is left before it', () => {
    // The CI run that lost every recorded series started its day of history here.
    expect(backfillStartSeconds(BOUNDARY - 27, 60)).toBe(BOUNDARY);
    expect(backfillStartSeconds(BOUNDARY - 1, 60)).toBe(BOUNDARY);
    expect(backfillStartSeconds(BOUNDARY - 60.5, 60)).toBe(BOUNDARY);
    expect(backfillStartSeconds(BOUNDARY - 299, 300)).toBe(BOUNDARY);
  });

  it('stays where it is when the first block holds an evaluation point, or starts on a boundary', () => {
    expect(backfillStartSeconds(BOUNDARY, 60)).toBe(BOUNDARY);
    expect(backfillStartSeconds(BOUNDARY - 90, 60)).toBe(BOUNDARY - 90);
    expect(backfillStartSeconds(BOUNDARY + 1, 60)).toBe(BOUNDARY + 1);
    expect(backfillStartSeconds(BOUNDARY - 3600, 60)).toBe(BOUNDARY - 3600);
    expect(backfillStartSeconds(BOUNDARY - 299, 60)).toBe(BOUNDARY - 299);
  });
});
