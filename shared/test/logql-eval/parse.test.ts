import { describe, expect, it } from 'vitest';

import { LogQLError, parseLogQL, streamMatches, type LogQuery } from '../../src/logql-eval/index.ts';

const log = (q: string): LogQuery => {
  const parsed = parseLogQL(q);
  if (parsed.kind !== 'log') throw new Error('expected a log query');
  return parsed;
};
const labels = { cluster: 'prod-us-east', namespace: 'client-a-apps', pod: 'web-0' };

describe('stream selectors', () => {
  it('evaluates all four matchers, regexes fully anchored', () => {
    expect(streamMatches(log('{cluster="prod-us-east"}').matchers, labels)).toBe(true);
    expect(streamMatches(log('{cluster!="prod-us-east", pod="web-0"}').matchers, labels)).toBe(false);
    expect(streamMatches(log('{cluster=~"prod-.*"}').matchers, labels)).toBe(true);
    expect(streamMatches(log('{cluster=~"prod"}').matchers, labels)).toBe(false);
    expect(streamMatches(log('{cluster!~"prod-us-.*", pod="web-0"}').matchers, labels)).toBe(false);
    expect(streamMatches(log('{cluster!~"staging.*", pod="web-0"}').matchers, labels)).toBe(true);
    expect(streamMatches(log('{namespace="client-a-apps", pod=~"web-[0-9]+"}').matchers, labels)).toBe(true);
  });

  it('treats a missing label as the empty string', () => {
    expect(streamMatches(log('{cluster="prod-us-east", team!="x"}').matchers, labels)).toBe(true);
    expect(streamMatches(log('{cluster="prod-us-east", team="x"}').matchers, labels)).toBe(false);
    expect(streamMatches(log('{cluster="prod-us-east", team=~""}').matchers, labels)).toBe(true);
  });

  it('reads RE2 syntax JS regexes lack (the enforcer writes \\x{…} escapes) and (?i)', () => {
    expect(streamMatches(log('{cluster=~"prod\\\\x{2d}us\\\\-east"}').matchers, labels)).toBe(true);
    expect(streamMatches(log('{cluster=~"(?i)PROD-US-EAST"}').matchers, labels)).toBe(true);
  });

  it('reads the enforcer’s alternation form and comments', () => {
    const q = log('{cluster=~"prod\\\\-(?:us\\\\-east|eu\\\\-west)", namespace=~"client\\\\-a\\\\-.+"} # only mine');
    expect(streamMatches(q.matchers, labels)).toBe(true);
    expect(streamMatches(q.matchers, { ...labels, namespace: 'client-b-apps' })).toBe(false);
  });

  it('reads backtick strings raw', () => {
    expect(streamMatches(log('{pod=~`web-\\d`}').matchers, labels)).toBe(true);
  });
});

describe('metric query shapes', () => {
  it('parses range aggregations under aggregations, by and without, and set/arithmetic operators', () => {
    expect(parseLogQL('count_over_time({cluster="a"} |= "x" [5m])')).toMatchObject({
      kind: 'metric',
      expr: { kind: 'range', fn: 'count_over_time', rangeNs: 300_000_000_000n },
    });
    expect(parseLogQL('sum(rate({cluster="a"}[1m]))')).toMatchObject({
      expr: { kind: 'aggregate', op: 'sum', grouping: undefined, inner: { kind: 'range', fn: 'rate' } },
    });
    expect(parseLogQL('sum by (cluster, namespace) (count_over_time({cluster=~".+"}[1h30m]))')).toMatchObject({
      expr: { grouping: { mode: 'by', labels: ['cluster', 'namespace'] }, inner: { rangeNs: 5_400_000_000_000n } },
    });
    expect(parseLogQL('sum(count_over_time({a="b"}[1m])) without (pod)')).toMatchObject({
      expr: { grouping: { mode: 'without', labels: ['pod'] } },
    });
    expect(parseLogQL('bytes_over_time({a="b"}[1m]) or rate({a="c"}[1m])')).toMatchObject({
      expr: { kind: 'binary', op: 'or', left: { fn: 'bytes_over_time' }, right: { fn: 'rate' } },
    });
    expect(parseLogQL('count_over_time({a="b"}[1m]) / 2')).toMatchObject({
      expr: { kind: 'binary', op: '/', right: { kind: 'scalar', value: 2 } },
    });
    expect(parseLogQL('count_over_time({a="b"}[1m] |= "x")')).toMatchObject({ expr: { kind: 'range' } });
  });
});

describe('refusals (a clear LogQLError; the stand-in answers 400)', () => {
  const cases: [string, RegExp][] = [
    ['{cluster="a"', /parse error at position/],
    ['', /empty/],
    ['cluster="a"', /parse error|not one LogQL expression/],
    ['{cluster=""}', /at least one matcher/],
    ['{cluster=~".*"}', /at least one matcher/],
    ['{a=~"("}', /bad regular expression/],
    ['{a=~"(a)\\\\1"}', /bad regular expression/], // backreferences are not RE2
    ['{a="b"} |~ "(?=x)"', /bad regular expression/], // nor lookaheads
    ['{a="b"} | unpack', /"unpack" parser.*not supported/],
    ['{a="b"} | pattern "<ip> <_>"', /not supported/],
    ['{a="b"} | regexp "(?P<x>.)"', /not supported/],
    ['{a="b"} | json foo="bar"', /not supported/],
    ['{a="b"} | logfmt --strict', /not supported/],
    ['{a="b"} | json | latency > 20ms', /label filter.*not supported/],
    ['{a="b"} | json | size > 1KB', /not supported/],
    ['{a="b"} |> "<_> error"', /not supported/],
    ['{a="b"} | line_format "{{ .a | ToUpper }}"', /only field substitution/],
    ['{a="b"} | line_format "{{if .a}}x{{end}}"', /only field substitution/],
    ['{a="b"} | label_format x="{{.a"', /unclosed|only field substitution/],
    ['{a="b"} | drop x="y"', /drop with matchers/],
    ['{a="b"} | decolorize', /not supported/],
    ['avg_over_time({a="b"} | unwrap x [1m])', /not supported/],
    ['quantile_over_time(0.9, {a="b"} | unwrap x [1m])', /not supported/],
    ['absent_over_time({a="b"}[1m])', /not supported/],
    ['topk(3, count_over_time({a="b"}[1m]))', /not supported/],
    ['stddev(count_over_time({a="b"}[1m]))', /not supported/],
    ['count_over_time({a="b"}[1m] offset 5m)', /not supported/],
    ['count_over_time({a="b"}[1m]) / on(a) count_over_time({a="b"}[1m])', /modifiers/],
    ['count_over_time({a="b"}[1m]) > 2', /not supported/],
    ['label_replace(count_over_time({a="b"}[1m]), "x", "$1", "a", "(.*)")', /not supported/],
    ['vector(1)', /not supported/],
  ];
  for (const [bad, why] of cases)
    it(`refuses ${JSON.stringify(bad)}`, () => {
      let error: unknown;
      try {
        parseLogQL(bad);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(LogQLError);
      expect((error as Error).message).toMatch(why);
    });
});
