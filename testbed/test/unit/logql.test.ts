import { describe, expect, it } from 'vitest';

import { LogQLError, lineMatches, parseLogQL, streamMatches, type LogQuery } from '../../src/loki/logql.ts';

const log = (q: string) => {
  const parsed = parseLogQL(q);
  if (parsed.kind !== 'log') throw new Error('expected a log query');
  return parsed;
};
const labels = { cluster: 'prod-us-east', namespace: 'client-a-apps', pod: 'web-0' };

describe('LogQL subset: stream selectors', () => {
  it('evaluates all four matchers, with regexes fully anchored', () => {
    expect(streamMatches(log('{cluster="prod-us-east"}'), labels)).toBe(true);
    expect(streamMatches(log('{cluster!="prod-us-east", pod="web-0"}'), labels)).toBe(false);
    // Like Loki, a selector must have a matcher that the empty string fails.
    expect(() => parseLogQL('{cluster!="prod-us-east"}')).toThrow(LogQLError);
    expect(streamMatches(log('{cluster=~"prod-.*"}'), labels)).toBe(true);
    expect(streamMatches(log('{cluster=~"prod"}'), labels)).toBe(false);
    expect(streamMatches(log('{cluster!~"prod-us-.*", pod="web-0"}'), labels)).toBe(false);
    expect(streamMatches(log('{cluster!~"staging.*", pod="web-0"}'), labels)).toBe(true);
    expect(streamMatches(log('{namespace="client-a-apps", pod=~"web-[0-9]+"}'), labels)).toBe(true);
  });

  it('treats a missing label as the empty string', () => {
    expect(streamMatches(log('{cluster="prod-us-east", team!="x"}'), labels)).toBe(true);
    expect(streamMatches(log('{cluster="prod-us-east", team="x"}'), labels)).toBe(false);
  });
});

describe('LogQL subset: line filters', () => {
  const q: LogQuery = log('{cluster="a"} |= "error" != "debug" |~ "conn(ection)? refused" !~ "^skip"');
  it('applies every filter in the chain', () => {
    expect(lineMatches(q, 'level=error msg="connection refused"')).toBe(true);
    expect(lineMatches(q, 'level=error debug connection refused')).toBe(false);
    expect(lineMatches(q, 'level=error msg="timeout"')).toBe(false);
    expect(lineMatches(q, 'skip level=error conn refused')).toBe(false);
  });
  it('reads backtick strings raw', () => {
    expect(lineMatches(log('{cluster="a"} |~ `\\d+ms`'), 'took 12ms')).toBe(true);
  });
});

describe('LogQL subset: metric queries', () => {
  it('parses count_over_time and rate, under sum and sum by', () => {
    expect(parseLogQL('count_over_time({cluster="a"} |= "x" [5m])')).toMatchObject({
      kind: 'metric',
      fn: 'count_over_time',
      rangeSeconds: 300,
    });
    expect(parseLogQL('sum(rate({cluster="a"}[1m]))')).toMatchObject({ kind: 'metric', fn: 'rate', rangeSeconds: 60, sumBy: [] });
    expect(parseLogQL('sum by (cluster, namespace) (count_over_time({cluster=~".+"}[1h30m]))')).toMatchObject({
      sumBy: ['cluster', 'namespace'],
      rangeSeconds: 5400,
    });
  });
});

describe('LogQL subset: refusals', () => {
  for (const bad of [
    '{cluster="a"',
    '',
    'cluster="a"',
    '{cluster=""}',
    '{cluster=~".*"}',
    '{cluster="a"} | json',
    'avg(rate({a="b"}[1m]))',
    'sum without (a) (rate({a="b"}[1m]))',
    'bytes_over_time({a="b"}[1m])',
    '{a=~"("}',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => parseLogQL(bad)).toThrow(LogQLError);
    });
  }
});
