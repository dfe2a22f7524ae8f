import { describe, expect, it } from 'vitest';

import { LokiClient } from '../../src/sources/loki/loki-client.ts';
import { NotSpliceable, SPLICE_WINDOW_BYTES, StreamsSplicer, spliceStreams } from '../../src/sources/loki/streams-splice.ts';

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

    it('reads the same given in pieces of any size (seeded), as whole', () => {
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const a = { stream: { ...mine, pod: 'p' }, values: entries(3000) };
      const b = { stream: theirs, values: [['1', 'SECRET of b'], ...entries(300)] };
      const a2 = { stream: { ...mine, pod: 'q' }, values: entries(50, 10_000) };
      const text = answer([a, b, a2], { stats });
      const expected = whole(text, 10_000);
      expect(expected).not.toBe('refused');
      for (const max of [7, 300, 5000, 70_000]) {
        const cuts: number[] = [];
        for (let at = rand(max) + 1; at < text.length; at += rand(max) + 1) cuts.push(at);
        expect(inPieces(text, cuts, 10_000).body, `pieces up to ${max} bytes`).toBe(expected);
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

/** The splice of `text` given in pieces cut at `cuts`: what each push gave, and the whole answer, or 'refused'. */
function inPieces(text: string | Buffer, cuts: readonly number[], maxLines = 100) {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const splicer = new StreamsSplicer(keepA, maxLines);
  const given: Buffer[][] = [];
  try {
    let from = 0;
    for (const to of [...cuts, buf.length]) {
      given.push(splicer.push(buf.subarray(from, to)));
      from = to;
    }
    given.push(splicer.end());
  } catch (err) {
    if (err instanceof NotSpliceable) return { given, body: 'refused' as const, splicer };
    throw err;
  }
  return { given, body: Buffer.concat(given.flat()).toString('utf8'), splicer };
}
const whole = (text: string, maxLines = 100) => {
  const r = spliceStreams(Buffer.from(text), keepA, maxLines);
  return r ? Buffer.concat(r.parts).toString('utf8') : 'refused';
};

describe('StreamsSplicer (the answer as it arrives)', () => {
  const a = {
    stream: mine,
    values: [
      ['1700000000000000002', 'é \\"q\\" line'],
      ['1700000000000000001', 'two'],
    ],
  };
  const a2 = { stream: { ...mine, pod: 'p2' }, values: [['1700000000000000000', 'three']] };
  const b = { stream: theirs, values: [['1700000000000000003', 'SECRET of b']] };
  const bodies = [
    answer([b, a, b, a2], { stats: { summary: { x: [true, null, -0.1e3, 'é'] } } }),
    answer([a, a2, b]),
    answer([b]),
    answer([]),
    // Another key order, whitespace between tokens: streams wait until status and type are known.
    ` { "data" : { "result" : [ ${JSON.stringify(a)} , ${JSON.stringify(b)} ] , "resultType" : "streams" } , "status" : "success" } \n`,
  ];
  const flawed = [
    answer([a, { ...b, extra: 1 }]),
    answer([a, { stream: mine, values: [['1', 'x', { trace_id: 't' }]] }]),
    answer([a, a2]).slice(0, -1),
    `${answer([a])}x`,
    answer([a, a2]).replace('"three"', '"thr\tee"'),
    JSON.stringify({ status: 'error', data: { resultType: 'streams', result: [a] } }),
    JSON.stringify({ data: { resultType: 'streams', result: [a] } }),
    JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [a] } }),
  ];

  it('gives the same answer as the whole body, wherever the pieces are cut (every byte, one cut and two)', () => {
    for (const text of [...bodies, ...flawed]) {
      const expected = whole(text);
      const n = Buffer.byteLength(text);
      for (let c = 0; c <= n; c++) expect(inPieces(text, [c]).body, `${text} cut at ${c}`).toBe(expected);
      for (let c = 0; c + 7 <= n; c += 3) expect(inPieces(text, [c, c + 7]).body).toBe(expected);
    }
    // The flawed ones are refused, the others are answers that parse.
    for (const text of flawed) expect(whole(text), text).toBe('refused');
    for (const text of bodies) expect(() => JSON.parse(whole(text)) as unknown).not.toThrow();
  });

  it('gives out each kept stream as soon as it has been read, before the answer ends', () => {
    const text = answer([a, b, a2]);
    const afterA = text.indexOf(JSON.stringify(a)) + JSON.stringify(a).length + 1;
    const { given } = inPieces(text, [afterA]);
    expect(given[0]!.map((p) => p.toString('utf8'))).toEqual([
      '{"status":"success","data":{"resultType":"streams","result":[',
      JSON.stringify(a),
    ]);
    expect(given[1]!.map((p) => p.toString('utf8'))).toEqual([',', JSON.stringify(a2)]);
    expect(given[2]!.map((p) => p.toString('utf8'))).toEqual([']}}']);
    // Before status and type are read, nothing is given out.
    const late = bodies[4]!;
    const early = inPieces(late, [late.indexOf('"resultType"')]);
    expect(early.given[0]).toEqual([]);
  });

  it('refuses a character split across pieces only if it is not valid UTF-8 once joined', () => {
    const text = answer([{ stream: mine, values: [['1', 'é€😀']] }]);
    const buf = Buffer.from(text);
    const at = buf.indexOf(Buffer.from('€'));
    for (let c = at - 3; c <= at + 8; c++) expect(inPieces(buf, [c]).body).toBe(whole(text));
    const broken = Buffer.concat([buf.subarray(0, at + 1), buf.subarray(at + 2)]);
    for (let c = at - 3; c <= at + 3; c++) expect(inPieces(broken, [c]).body).toBe('refused');
  });

  it('reads and joins a single stream of megabytes given in 1 KB pieces a few times over, not once per piece', () => {
    const values = Array.from({ length: 40_000 }, (_, k) => [String(1_700_000_000_000_000_000n + BigInt(k)), `level=info msg="line ${k}"`]);
    const text = answer([{ stream: mine, values }]);
    const cuts = Array.from({ length: Math.floor(text.length / 1024) }, (_, k) => (k + 1) * 1024);
    const { body, splicer } = inPieces(text, cuts, 100_000);
    expect(body).toBe(whole(text, 100_000));
    expect(text.length).toBeGreaterThan(1_500_000);
    // Joining the stream so far with every piece would copy about 750 times the answer.
    expect(splicer.bytesRead).toBeLessThan(4 * text.length);
  });

  it('may not be used after its end or a refusal', () => {
    const s = new StreamsSplicer(keepA, 10);
    expect(() => s.push(Buffer.from('[]'))).toThrow(NotSpliceable);
    expect(() => s.push(Buffer.from('{}'))).toThrow(/after the end or a failure/);
  });
});

describe('LokiClient.queryRangeStreamed', () => {
  const params = { query: '{cluster="a"}', start: 1n, end: 2n, limit: 10, direction: 'backward' as const };
  /** A client whose Loki answers `pieces` one chunk after the other. */
  const client = (pieces: string | readonly string[], status = 200) =>
    new LokiClient({
      url: 'http://loki.invalid:3100',
      timeoutMs: 1000,
      fetch: () => {
        const chunks = (typeof pieces === 'string' ? [pieces] : pieces).map((p) => new TextEncoder().encode(p));
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = chunks.shift();
            if (next) controller.enqueue(next);
            else controller.close();
          },
        });
        return Promise.resolve(new Response(body, { status }));
      },
    });
  const run = async (pieces: string | readonly string[], status = 200) => {
    const sent: { text: string; last: boolean }[] = [];
    const answer = await client(pieces, status).queryRangeStreamed(params, undefined, keepA, (parts, last) =>
      sent.push({ text: Buffer.concat(parts).toString('utf8'), last }),
    );
    return { answer, sent, text: sent.map((s) => s.text).join('') };
  };
  const a = { stream: mine, values: [['2', 'x']] };
  const a2 = { stream: { ...mine, pod: 'p2' }, values: [['1', 'z']] };
  const b = { stream: theirs, values: [['3', 'SECRET of b']] };

  it("sends Loki's bytes of the kept streams as they arrive, and the parsed answer when they do not splice", async () => {
    const text = answer([a, b, a2]);
    const cut = text.indexOf(JSON.stringify(b));
    const r = await run([text.slice(0, cut), text.slice(cut)]);
    expect(r.answer).toEqual({ sent: { bytes: Buffer.byteLength(r.text), lines: 2 } });
    // The first stream went out before the rest had come; only the last piece says so.
    expect(r.sent.map((s) => s.last)).toEqual([false, false, true]);
    expect(r.sent[0]!.text).toContain(JSON.stringify(a));
    expect(JSON.parse(r.text)).toEqual({ status: 'success', data: { resultType: 'streams', result: [a, a2] } });
    expect(r.text).not.toContain('SECRET');
    // In one chunk: what was read, then the end; nothing kept: a single send, the last.
    expect((await run(text)).sent.map((s) => s.last)).toEqual([false, true]);
    const none = await run(answer([b]));
    expect(none.sent).toEqual([{ text: '{"status":"success","data":{"resultType":"streams","result":[]}}', last: true }]);
    const withMeta = { stream: mine, values: [['1', 'x', { trace_id: 't' }]] };
    const full = await run([answer([withMeta]).slice(0, 20), answer([withMeta]).slice(20)]);
    expect(full.answer).toEqual({ data: { resultType: 'streams', result: [withMeta] } });
    expect(full.sent).toEqual([]);
  });

  it('fails, after what it sent, an answer that leaves the documented shape or breaks off after part of it went out', async () => {
    const good = answer([a, a2]);
    const afterA = good.indexOf(JSON.stringify(a2));
    for (const rest of [
      good.slice(afterA).replace('"z"', '"z\t"'), // a raw tab in a later line
      good.slice(afterA, -2), // cut short
      good.slice(afterA).replace('["1","z"]', '["1","z",{"trace_id":"t"}]'),
    ]) {
      const sent: string[] = [];
      await expect(
        client([good.slice(0, afterA), rest]).queryRangeStreamed(params, undefined, keepA, (parts) =>
          sent.push(Buffer.concat(parts).toString('utf8')),
        ),
      ).rejects.toThrow(/left its documented shape after part of it was passed on/);
      expect(sent.join('')).toContain(JSON.stringify(a));
      expect(sent.join('')).not.toContain(']}}');
    }
  });

  it("keeps Loki's errors as errors", async () => {
    await expect(run('parse error at line 1', 400)).rejects.toThrow(/refused the request/);
    await expect(run('oops', 500)).rejects.toThrow(/answered 500/);
    await expect(run('{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[[1,"x"]]}]}}')).rejects.toThrow(
      /unexpected shape/,
    );
  });
});
