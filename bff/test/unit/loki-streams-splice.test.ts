import { describe, expect, it } from 'vitest';

import { LokiClient } from '../../src/sources/loki/loki-client.ts';
import { SPLICE_WINDOW_BYTES, spliceStreams } from '../../src/sources/loki/streams-splice.ts';

const mine = { app: 'x', cluster: 'a', namespace: 'a-apps' };
const theirs = { app: 'x', cluster: 'b', namespace: 'b-apps' };
const keepA = (l: Readonly<Record<string, string>>) => l.cluster === 'a';
const answer = (result: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ status: 'success', data: { resultType: 'streams', result, ...extra } });
const splice = (text: string, maxLines = 100) => spliceStreams(Buffer.from(text), keepA, maxLines);
const bodyOf = (r: ReturnType<typeof splice>) => Buffer.concat(r!.parts).toString('utf8');
const parsed = (r: ReturnType<typeof splice>) => JSON.parse(bodyOf(r)) as unknown;

describe('spliceStreams', () => {
  it('keeps only the streams the filter accepts, byte for byte, and drops stats', () => {
    const a = {
      stream: mine,
      values: [
        ['1700000000000000002', 'é \\"q\\" \u001b[31m'],
        ['1700000000000000001', 'two'],
      ],
    };
    const b = { stream: theirs, values: [['1700000000000000003', 'SECRET of b']] };
    const text = answer([b, a, b], { stats: { summary: { bytesProcessedPerSecond: 1.5e3, x: [true, null, -0.1] } } });
    const r = splice(text);
    expect(r!.lines).toBe(2);
    expect(bodyOf(r)).not.toContain('SECRET');
    expect(parsed(r)).toEqual({ status: 'success', data: { resultType: 'streams', result: [a] } });
    // What is sent is Loki's own text of the stream, not a re-serialisation.
    expect(bodyOf(r)).toContain(JSON.stringify(a));
  });

  it('sends kept neighbours as one view of Loki’s bytes, never a copy, and a comma between views', () => {
    const a1 = { stream: { ...mine, pod: '1' }, values: [['3', 'x']] };
    const a2 = { stream: { ...mine, pod: '2' }, values: [['2', 'y']] };
    const a3 = { stream: { ...mine, pod: '3' }, values: [['1', 'z']] };
    const b = { stream: theirs, values: [['4', 'SECRET of b']] };
    const buf = Buffer.from(answer([a1, a2, b, a3, b]));
    const r = spliceStreams(buf, keepA, 100)!;
    // PREFIX, [a1,a2] as one view, COMMA, a3, SUFFIX.
    expect(r.parts.map((p) => p.toString('utf8'))).toEqual([
      '{"status":"success","data":{"resultType":"streams","result":[',
      `${JSON.stringify(a1)},${JSON.stringify(a2)}`,
      ',',
      JSON.stringify(a3),
      ']}}',
    ]);
    expect(r.parts[1]!.buffer).toBe(buf.buffer);
    expect(r.parts[3]!.buffer).toBe(buf.buffer);
    expect(r.bytes).toBe(Buffer.concat(r.parts).length);
    expect(JSON.parse(bodyOf(r))).toEqual({ status: 'success', data: { resultType: 'streams', result: [a1, a2, a3] } });
    expect(r.lines).toBe(3);
  });

  it('reads entries with whitespace between them, as between any tokens, and refuses a missing comma', () => {
    const text = answer([
      {
        stream: mine,
        values: [
          ['2', 'x'],
          ['1', 'y'],
        ],
      },
    ]).replace('["2","x"],["1","y"]', ' ["2","x"] ,\n ["1","y"] ');
    const r = splice(text);
    expect(r!.lines).toBe(2);
    expect(JSON.parse(bodyOf(r))).toEqual(JSON.parse(text));
    expect(splice(text.replace(',\n', ' '))).toBeUndefined();
    expect(splice(text.replace(',\n', ',,'))).toBeUndefined();
    expect(splice(text.replace('["1","y"] ]', '["1","y"], ]'))).toBeUndefined();
  });

  it('answers an empty result when nothing may be shown; whitespace between tokens, but not inside an entry', () => {
    const text = ` { "status" : "success" ,\n "data" : { "resultType" : "streams" , "result" : [ { "stream" : { "cluster" : "b" } , "values" : [ ["1","x"] ] } ] } }\n`;
    const r = splice(text);
    expect(parsed(r)).toEqual({ status: 'success', data: { resultType: 'streams', result: [] } });
    expect(r!.lines).toBe(0);
    // Loki writes entries without whitespace; one with it takes the full parse.
    expect(splice(text.replace('["1","x"]', '[ "1" , "x" ]'))).toBeUndefined();
  });

  it('refuses (for the full parse to judge) a label or key given twice, which parsers may read differently', () => {
    expect(
      splice('{"status":"success","data":{"resultType":"streams","result":[{"stream":{"cluster":"a","cluster":"b"},"values":[]}]}}'),
    ).toBeUndefined();
    expect(
      splice(
        '{"status":"success","data":{"resultType":"streams","result":[{"stream":{"cluster":"b"},"stream":{"cluster":"a"},"values":[]}]}}',
      ),
    ).toBeUndefined();
    expect(
      splice('{"status":"success","data":{"resultType":"streams","result":[],"result":[{"stream":{"cluster":"b"},"values":[]}]}}'),
    ).toBeUndefined();
    // An escaped spelling of the same key is the same key.
    expect(
      splice('{"status":"success","data":{"resultType":"streams","result":[{"stream":{"cluster":"a","clust\\u0065r":"b"},"values":[]}]}}'),
    ).toBeUndefined();
  });

  it('refuses anything but the documented shape: unknown keys, metadata entries, bad strings, other result types, trailing bytes', () => {
    const ok = { stream: mine, values: [['1', 'x']] };
    expect(splice(answer([ok]))).toBeDefined();
    for (const bad of [
      answer([{ ...ok, extra: 1 }]),
      answer([{ stream: mine, values: [['1', 'x', { trace_id: 't' }]] }]),
      answer([{ stream: mine, values: [['1x', 'x']] }]),
      answer([{ stream: mine, values: [['123456789012345678901', 'x']] }]),
      answer([{ stream: mine, values: [[1, 'x']] }]),
      answer([{ stream: { cluster: 1 }, values: [] }]),
      answer([{ stream: mine }]),
      answer([ok], { other: 1 }),
      JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
      JSON.stringify({ status: 'error', data: { resultType: 'streams', result: [] } }),
      JSON.stringify({ status: 'success', data: { resultType: 'streams', result: null } }),
      `${answer([ok])}x`,
      answer([ok]).slice(0, -2),
      answer([ok]).replace('"x"', '"a\tb"'),
      answer([ok]).replace('"x"', '"a\\qb"'),
      answer([ok]).replace('"x"', '"a\\u12"'),
      answer([ok], { stats: { n: 1 } }).replace('"n":1', '"n":01'),
    ])
      expect(splice(bad), bad).toBeUndefined();
    expect(
      spliceStreams(Buffer.concat([Buffer.from(answer([ok]).slice(0, -5)), Buffer.from([0xff]), Buffer.from('"]]}]}}')]), keepA, 100),
    ).toBeUndefined();
  });

  it('refuses more kept lines than the limit (the caller cuts them), counting only kept streams', () => {
    const text = answer([
      {
        stream: mine,
        values: [
          ['2', 'x'],
          ['1', 'y'],
        ],
      },
      {
        stream: theirs,
        values: [
          ['3', 'z'],
          ['4', 'w'],
        ],
      },
    ]);
    expect(splice(text, 2)!.lines).toBe(2);
    expect(splice(text, 1)).toBeUndefined();
  });

  describe('answers larger than the window it reads at a time', () => {
    const entries = (n: number, from = 0) =>
      Array.from({ length: n }, (_, k) => [
        String(1_700_000_000_000_000_000n + BigInt(from + k)),
        `level=info msg="line \\ ${k}" é n=${k}`,
      ]);
    // Numbers, literals and strings in `stats` too: a window edge may fall inside any token.
    const stats = {
      numbers: Array.from({ length: 4000 }, (_, k) => -(k * 1234.5678e-3)),
      flags: Array.from({ length: 2000 }, (_, k) => [k % 2 === 0, null, 'ok']),
    };

    it('reads the same wherever a window edge falls (inside entries, strings, numbers and literals)', () => {
      const perEntry = JSON.stringify(entries(1)[0]).length;
      // Shifting the body a byte at a time over more than an entry's length moves every edge
      // through every position of an entry and of the tokens after it.
      for (let shift = 0; shift <= perEntry + 5; shift++) {
        const a = { stream: { ...mine, pod: 'p'.repeat(shift) }, values: entries(Math.ceil((2.5 * SPLICE_WINDOW_BYTES) / perEntry)) };
        const b = { stream: theirs, values: [['1', 'SECRET of b'], ...entries(300)] };
        const a2 = { stream: { ...mine, pod: 'q' }, values: entries(50, 10_000) };
        const text = answer([a, b, a2], { stats });
        expect(text.length).toBeGreaterThan(3 * SPLICE_WINDOW_BYTES);
        const r = splice(text, 10_000);
        expect(r, `shift ${shift}`).toBeDefined();
        expect(r!.lines).toBe(a.values.length + a2.values.length);
        expect(bodyOf(r)).not.toContain('SECRET');
        expect(parsed(r)).toEqual({ status: 'success', data: { resultType: 'streams', result: [a, a2] } });
      }
    });

    it('reads a line longer than several windows', () => {
      const long = `${'é \\"q\\" \u0001 '.repeat(SPLICE_WINDOW_BYTES / 4)}end`;
      const a = { stream: mine, values: [['2', long], ...entries(10)] };
      const text = answer([{ stream: theirs, values: [['3', 'SECRET of b']] }, a], { stats });
      const r = splice(text, 100);
      expect(JSON.stringify(long).length).toBeGreaterThan(3 * SPLICE_WINDOW_BYTES);
      expect(r!.lines).toBe(11);
      expect(parsed(r)).toEqual({ status: 'success', data: { resultType: 'streams', result: [a] } });
    });

    it('still refuses a flaw or a stream beyond the limit that lies windows away from the start', () => {
      const a = { stream: mine, values: entries(2000) };
      const text = answer([a]);
      const at = text.indexOf('line', 3 * SPLICE_WINDOW_BYTES);
      expect(at).toBeGreaterThan(0);
      // A raw control character (not allowed in a JSON string), and a cut-off body.
      expect(splice(`${text.slice(0, at)}\u0001${text.slice(at + 1)}`, 10_000)).toBeUndefined();
      expect(splice(text.slice(0, -3), 10_000)).toBeUndefined();
      expect(splice(text, 1999)).toBeUndefined();
      expect(splice(text, 2000)!.lines).toBe(2000);
    });
  });
});

describe('LokiClient.queryRangeStreams', () => {
  const params = { query: '{cluster="a"}', start: 1n, end: 2n, limit: 10, direction: 'backward' as const };
  const client = (text: string, status = 200) =>
    new LokiClient({
      url: 'http://loki.invalid:3100',
      timeoutMs: 1000,
      fetch: () => Promise.resolve(new Response(text, { status })),
    });

  it("answers Loki's bytes when they splice, and the parsed answer when they do not", async () => {
    const a = { stream: mine, values: [['1', 'x']] };
    const spliced = await client(answer([a, { stream: theirs, values: [['2', 'y']] }])).queryRangeStreams(params, undefined, keepA);
    expect('parts' in spliced && JSON.parse(Buffer.concat(spliced.parts).toString('utf8'))).toEqual({
      status: 'success',
      data: { resultType: 'streams', result: [a] },
    });
    const withMeta = { stream: mine, values: [['1', 'x', { trace_id: 't' }]] };
    const full = await client(answer([withMeta])).queryRangeStreams(params, undefined, keepA);
    expect(full).toEqual({ resultType: 'streams', result: [withMeta] });
  });

  it("keeps Loki's errors as errors", async () => {
    await expect(client('parse error at line 1', 400).queryRangeStreams(params, undefined, keepA)).rejects.toThrow(/refused the request/);
    await expect(client('oops', 500).queryRangeStreams(params, undefined, keepA)).rejects.toThrow(/answered 500/);
    await expect(
      client('{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[[1,"x"]]}]}}').queryRangeStreams(
        params,
        undefined,
        keepA,
      ),
    ).rejects.toThrow(/unexpected shape/);
  });
});
