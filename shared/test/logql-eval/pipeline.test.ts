import { describe, expect, it } from 'vitest';

import { LogQLError, evaluateRange, parseLogQL, runPipeline, type LogQuery } from '../../src/logql-eval/index.ts';
import { API, T0, WEB, at, fleet } from './fixture.ts';

const log = (q: string): LogQuery => {
  const parsed = parseLogQL(q);
  if (parsed.kind !== 'log') throw new Error('expected a log query');
  return parsed;
};
/** The pipeline's output for one line of a stream labelled WEB. */
const run = (q: string, line: string, labels: Record<string, string> = WEB) => runPipeline(log(q), labels, line);
/** Lines (oldest first) a query returns over the fixture fleet. */
const lines = (query: string) => {
  const data = evaluateRange(fleet, { query, start: T0, end: at(100), limit: 1000, direction: 'forward' });
  if (data.resultType !== 'streams') throw new Error('expected streams');
  return data.result
    .flatMap((s) => s.values)
    .sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1))
    .map((v) => v[1]);
};

describe('line filters', () => {
  const q = '{cluster="a"} |= "error" != "debug" |~ "conn(ection)? refused" !~ "^skip"';
  it('applies every filter of a chain', () => {
    expect(run(q, 'level=error msg="connection refused"')).toBeDefined();
    expect(run(q, 'level=error debug connection refused')).toBeUndefined();
    expect(run(q, 'level=error msg="timeout"')).toBeUndefined();
    expect(run(q, 'skip level=error conn refused')).toBeUndefined();
  });
  it('is case-sensitive unless (?i), and regex filters are unanchored', () => {
    expect(run('{a="b"} |= "ERROR"', 'level=error')).toBeUndefined();
    expect(run('{a="b"} |~ "(?i)ERROR"', 'level=error')).toBeDefined();
    expect(run('{a="b"} |~ "err"', 'level=error x')).toBeDefined();
  });
  it('takes `or` alternatives: any for |= and |~, none for != and !~', () => {
    expect(run('{a="b"} |= "timeout" or "refused"', 'connection refused')).toBeDefined();
    expect(run('{a="b"} |= "timeout" or "refused"', 'all good')).toBeUndefined();
    expect(run('{a="b"} != "timeout" or "refused"', 'connection refused')).toBeUndefined();
    expect(run('{a="b"} != "timeout" or "refused"', 'all good')).toBeDefined();
  });
  it('filters the fixture fleet', () => {
    expect(lines('{namespace="client-a-apps"} |= "error"')).toEqual([
      'level=error msg="connection refused" upstream=inventory',
      '{"level":"error","msg":"db timeout","status":503,"latency_ms":5000}',
    ]);
  });
});

describe('| json', () => {
  it('extracts fields as labels, nested objects joined with _', () => {
    expect(run('{a="b"} | json', '{"level":"info","http":{"method":"POST","code":201},"ok":true,"tags":["x"],"n":null}')?.labels).toEqual({
      ...WEB,
      level: 'info',
      http_method: 'POST',
      http_code: '201',
      ok: 'true',
    });
  });
  it('sanitises names and suffixes a clash with a stream label with _extracted', () => {
    expect(run('{a="b"} | json', '{"pod":"other","a.b-c":"1","9x":"2"}')?.labels).toMatchObject({
      pod: 'web-0',
      pod_extracted: 'other',
      a_b_c: '1',
      _9x: '2',
    });
  });
  it('keeps a line that is not JSON, marked with __error__', () => {
    const out = run('{a="b"} | json', 'not json');
    expect(out?.labels.__error__).toBe('JSONParserErr');
    expect(run('{a="b"} | json | __error__=""', 'not json')).toBeUndefined();
    expect(run('{a="b"} | json | __error__!=""', 'not json')).toBeDefined();
  });
});

describe('| logfmt', () => {
  it('reads bare, quoted (with escapes) and empty values', () => {
    expect(run('{a="b"} | logfmt', 'level=warn msg="slow \\"upstream\\"" flag latency=812ms empty=')?.labels).toMatchObject({
      level: 'warn',
      msg: 'slow "upstream"',
      flag: '',
      latency: '812ms',
      empty: '',
    });
  });
  it('marks a malformed line with __error__ LogfmtParserErr', () => {
    expect(run('{a="b"} | logfmt', 'msg="unterminated')?.labels.__error__).toBe('LogfmtParserErr');
  });
});

describe('label filters after a parser', () => {
  const json = '{"level":"error","status":503,"latency_ms":5000}';
  it('string matchers: = != =~ !~', () => {
    expect(run('{a="b"} | json | level="error"', json)).toBeDefined();
    expect(run('{a="b"} | json | level!="error"', json)).toBeUndefined();
    expect(run('{a="b"} | json | level=~"err.*"', json)).toBeDefined();
    expect(run('{a="b"} | json | level=~"err"', json)).toBeUndefined(); // anchored
    expect(run('{a="b"} | json | level!~"warn|info"', json)).toBeDefined();
  });
  it('numbers: > >= < <= == !=', () => {
    expect(run('{a="b"} | json | status > 500', json)).toBeDefined();
    expect(run('{a="b"} | json | status >= 503', json)).toBeDefined();
    expect(run('{a="b"} | json | status < 503', json)).toBeUndefined();
    expect(run('{a="b"} | json | status <= 503', json)).toBeDefined();
    expect(run('{a="b"} | json | status == 503', json)).toBeDefined();
    expect(run('{a="b"} | json | status != 503', json)).toBeUndefined();
    expect(run('{a="b"} | json | latency_ms > 1000.5', json)).toBeDefined();
  });
  it('a missing label fails a numeric filter (passes !=); a non-number keeps the line with __error__', () => {
    expect(run('{a="b"} | json | missing > 1', json)).toBeUndefined();
    expect(run('{a="b"} | json | missing != 1', json)).toBeDefined();
    expect(run('{a="b"} | json | level > 1', json)?.labels.__error__).toBe('LabelFilterErr');
    expect(run('{a="b"} | json | level > 1 | __error__=""', json)).toBeUndefined();
  });
  it('and, or, commas and parentheses', () => {
    expect(run('{a="b"} | json | level="error" and status >= 500', json)).toBeDefined();
    expect(run('{a="b"} | json | level="error", status < 500', json)).toBeUndefined();
    expect(run('{a="b"} | json | level="info" or status >= 500', json)).toBeDefined();
    expect(run('{a="b"} | json | (level="info" or level="warn") and status >= 500', json)).toBeUndefined();
  });
  it('can filter on stream labels too', () => {
    expect(lines('{namespace="client-a-apps"} | pod="api-0" | json | status >= 500')).toEqual([
      '{"level":"error","msg":"db timeout","status":503,"latency_ms":5000}',
    ]);
  });
});

describe('line_format and label_format', () => {
  it('line_format substitutes fields and __line__; a missing label is empty', () => {
    expect(run('{a="b"} | logfmt | line_format "{{.level}}: {{ .msg }} [{{.pod}}]{{.nope}}"', 'level=warn msg=slow')?.line).toBe(
      'warn: slow [web-0]',
    );
    expect(run('{a="b"} | line_format `<{{__line__}}>`', 'x')?.line).toBe('<x>');
  });
  it('line filters after line_format see the new line', () => {
    expect(run('{a="b"} | logfmt | line_format "{{.msg}}" |= "level"', 'level=warn msg=slow')).toBeUndefined();
  });
  it('label_format renames (the old label goes) and templates (reading labels before the stage)', () => {
    const out = run('{a="b"} | logfmt | label_format sev=level, where="{{.cluster}}/{{.sev}}"', 'level=warn');
    expect(out?.labels).toMatchObject({ sev: 'warn', where: 'prod-us-east/' });
    expect(out?.labels).not.toHaveProperty('level');
  });
  it('label_format may relabel stream labels of already selected streams (it never widens the selection)', () => {
    const data = evaluateRange(fleet, {
      query: '{cluster="prod-us-east"} | label_format cluster="{{.pod}}"',
      start: T0,
      end: at(100),
      limit: 100,
      direction: 'forward',
    });
    if (data.resultType !== 'streams') throw new Error('streams');
    expect(data.result.map((s) => s.stream.cluster).sort()).toEqual(['api-0', 'web-0']);
  });
  it('drop and keep labels', () => {
    expect(run('{a="b"} | logfmt | drop pod, level', 'level=warn x=1')?.labels).toEqual({
      cluster: WEB.cluster,
      namespace: WEB.namespace,
      container: 'web',
      x: '1',
    });
    expect(run('{a="b"} | logfmt | keep level', 'level=warn x=1')?.labels).toEqual({ level: 'warn' });
  });
});

describe('stream results group by the labels after the pipeline', () => {
  it('one stream per distinct label set', () => {
    const data = evaluateRange(fleet, {
      query: `{pod="api-0"} | json | __error__=""`,
      start: T0,
      end: at(100),
      limit: 100,
      direction: 'forward',
    });
    if (data.resultType !== 'streams') throw new Error('streams');
    expect(data.result).toHaveLength(3);
    expect(data.result.every((s) => s.stream.container === API.container && s.values.length === 1)).toBe(true);
  });
});

describe('regexes run in linear time (RE2)', () => {
  it('a catastrophic pattern over a long line returns quickly', () => {
    const long = `${'a'.repeat(50_000)}!`;
    const began = performance.now();
    // The line ends with "!": a backtracking engine tries every split of the a's before failing.
    expect(run('{a="b"} |~ "(a+)+$"', long)).toBeUndefined();
    expect(run('{a="b"} |~ "(a+)+!$"', long)).toBeDefined();
    expect(run('{a="b"} |~ "^(a+)+b$"', long)).toBeUndefined();
    expect(run('{a="b"} | logfmt | x=~"(a|aa)*c"', `x=${'a'.repeat(20_000)}`)).toBeUndefined();
    // Backtracking engines take exponential time here; RE2 is linear (generous bound for a busy CI machine).
    expect(performance.now() - began).toBeLessThan(2000);
  });
  it('refuses patterns RE2 cannot run rather than falling back', () => {
    expect(() => parseLogQL('{a="b"} |~ "(x)\\\\1"')).toThrow(LogQLError);
  });
});
