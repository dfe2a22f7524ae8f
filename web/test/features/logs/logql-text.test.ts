import { describe, expect, it } from 'vitest';

import {
  ALL_STREAMS,
  isLogQuery,
  lineFilterTexts,
  quoteLogQL,
  selectorOf,
  volumeQuery,
  volumeStepSeconds,
} from '../../../src/features/logs/logql-text.ts';

describe('LogQL text', () => {
  it('quotes label values', () => {
    expect(quoteLogQL('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('builds a selector from the label choices made so far', () => {
    expect(selectorOf([])).toBe(ALL_STREAMS);
    expect(
      selectorOf([
        ['cluster', 'prod'],
        ['namespace', undefined],
        ['pod', ''],
      ]),
    ).toBe('{cluster="prod"}');
    expect(
      selectorOf([
        ['cluster', 'prod'],
        ['namespace', 'web'],
      ]),
    ).toBe('{cluster="prod", namespace="web"}');
  });

  it('tells log queries from metric queries (comments and white space first are fine)', () => {
    expect(isLogQuery('{app="x"} |= "y"')).toBe(true);
    expect(isLogQuery('  # note\n {app="x"}')).toBe(true);
    expect(isLogQuery('rate({app="x"}[5m])')).toBe(false);
    expect(isLogQuery('')).toBe(false);
  });

  it('reads the positive line filters to highlight', () => {
    expect(lineFilterTexts('{app="x"} |= "timeout" != "debug" |= `a"b`')).toEqual(['timeout', 'a"b']);
    expect(lineFilterTexts('{app="x"} |= "one" or "two" | json')).toEqual(['one', 'two']);
    expect(lineFilterTexts('{app="x"} |~ "err.*"')).toEqual([]);
    expect(lineFilterTexts('{app="|= \\"no\\""} # |= "comment"\n |= "esc\\"aped"')).toEqual(['esc"aped']);
    expect(lineFilterTexts('{app="x"} | json | msg="|= nope"')).toEqual([]);
  });

  it('counts the volume by level over the query, a comment at the end notwithstanding', () => {
    expect(volumeQuery('{app="x"} |= "y" # mine', '60s')).toBe('sum by (level) (count_over_time({app="x"} |= "y" # mine\n[60s]))');
  });

  it('picks a whole-second step near 60 buckets', () => {
    expect(volumeStepSeconds(900)).toBe(15);
    expect(volumeStepSeconds(3600)).toBe(60);
    expect(volumeStepSeconds(7 * 86_400)).toBe(10_800);
    expect(volumeStepSeconds(10)).toBe(1);
  });
});
