import { isUtf8 } from 'node:buffer';

/**
 * A `streams` answer of Loki's query_range kept as Loki's own bytes. Parsing 5,000 lines
 * into objects and serialising them again was most of the BFF's cost per query; here
 * one strict pass over the bytes finds each stream, its labels are parsed (they decide
 * whether it may be shown) and the streams that may be shown are copied out as they came.
 *
 * The pass accepts only Loki's documented shape, with nothing it does not understand:
 * `{"status":"success","data":{"resultType":"streams","result":[{"stream":{…},"values":
 * [["<ns>","<line>"],…]},…],"stats":…}}` with every string checked as JSON (escapes,
 * control characters), the whole body valid UTF-8, and no key twice (a second `cluster`
 * label would read one way here and maybe another way in the client). Anything else —
 * entries with structured metadata, an unknown key, a malformed string — is not
 * guessed at: the caller falls back to the full parse, which checks it as before.
 * `stats` is dropped, as the full parse drops it.
 *
 * The answer is read whole before any of it is sent. Passing each kept stream on as it
 * arrived was built and measured (logs bench, four runs; a harness without the testbed):
 * no gain at p50 here, where the stand-in writes its answer at once and it is all in the
 * socket buffer before the scan starts; 0.5–1.8 ms more BFF CPU per 5,000-line query; and
 * a worse failure, since an answer already begun can only be broken off. So it was not kept.
 */

export interface SplicedStreams {
  /**
   * The whole answer, `{"status":"success","data":{"resultType":"streams","result":[…kept
   * streams…]}}`, in pieces to write one after the other: the kept streams are views of
   * Loki's body (neighbours kept together are one view), never copied into a new buffer.
   */
  parts: readonly Buffer[];
  /** The pieces' total length (the Content-Length). */
  bytes: number;
  /** Entries in the kept streams. */
  lines: number;
}

class NotSpliceable extends Error {}
const no = (): never => {
  throw new NotSpliceable();
};

const MAX_DEPTH = 64;
const PREFIX = Buffer.from('{"status":"success","data":{"resultType":"streams","result":[');
const SUFFIX = Buffer.from(']}}');
const COMMA = Buffer.from(',');

// Bytes, by name.
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA_B = 0x2c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

// JSON's whitespace, a string (RFC 8259 §7, "unrolled" so that it runs in linear time even
// when it fails) and a log entry `["<1-20 digits>","<line>"]`. They run on the body read as
// latin1, one character per byte, so a match's offsets are the bytes' offsets; bytes of
// multi-byte characters are ≥ 0x80 and pass as string content (the body is checked as
// UTF-8 first). Regular expressions because V8 compiles them to machine code: a loop over
// the bytes in JavaScript cost about as much again. One match per entry, not one per
// `values` array: a whole array in one match overflows the regex stack at a few hundred
// thousand entries.
//
// The body is read as text a window at a time, not as one string: half a megabyte of
// string per answer goes to V8's large-object space, and a few such answers a second kept
// the BFF in back-to-back full collections (every ~300 ms, 8–17 ms pauses; `--trace-gc`
// under the logs bench). A window this size is an ordinary young-generation object.
export const SPLICE_WINDOW_BYTES = 32 * 1024;
const WS = '[ \\t\\n\\r]*';
const STR = '"[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*"';
const STRING = new RegExp(`${WS}${STR}`, 'y');
// Entries without whitespace inside, as Loki writes them (whitespace there makes the match
// several times slower; such an answer takes the full parse).
const ENTRY = new RegExp(`\\["\\d{1,20}",${STR}\\]`, 'y');
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The answer with only the streams whose labels `keep` accepts, or undefined when the
 * body is not exactly the documented shape or holds more than `maxLines` entries (the
 * caller then parses it in full).
 */
export function spliceStreams(
  buf: Buffer,
  keep: (labels: Readonly<Record<string, string>>) => boolean,
  maxLines: number,
): SplicedStreams | undefined {
  if (!isUtf8(buf)) return undefined;
  /** `buf[base, base + text.length)` as latin1: the window the scan reads. */
  let base = 0;
  let text = '';
  const load = (from: number, size: number) => {
    base = from;
    text = buf.toString('latin1', from, Math.min(buf.length, from + size));
  };
  const atEnd = () => base + text.length >= buf.length;
  /** Byte ranges of the kept streams, neighbours joined into one range. */
  const kept: [number, number][] = [];
  let lastKept = false;
  let scanned = 0;
  let lines = 0;
  let i = 0;

  /** The byte at `k` (NaN past the end, which no comparison passes). */
  const at = (k: number) => {
    if (k < base || k >= base + text.length) {
      if (k >= buf.length) return NaN;
      load(k, SPLICE_WINDOW_BYTES);
    }
    return text.charCodeAt(k - base);
  };
  /**
   * Whether sticky `re` matches at `i` (moving `i` past the match). A match that fails, or
   * ends at the window's edge, may have been cut by the window: it is tried again from `i`
   * on a window twice the size, until the window reaches the body's end. Every failure
   * ends the scan, so that costs at most one more pass over the rest of the body.
   */
  const test = (re: RegExp): boolean => {
    if (i < base || i >= base + text.length) load(i, SPLICE_WINDOW_BYTES);
    for (let size = SPLICE_WINDOW_BYTES; ; size *= 2) {
      re.lastIndex = i - base;
      const ok = re.test(text);
      if (atEnd() || (ok && re.lastIndex < text.length)) {
        if (ok) i = base + re.lastIndex;
        return ok;
      }
      load(i, Math.max(size * 2, base + text.length - i + 1));
    }
  };
  const ws = () => {
    for (let c = at(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = at(++i));
  };
  const expect = (c: number) => {
    ws();
    if (at(i) !== c) no();
    i++;
  };
  const match = (re: RegExp) => {
    if (!test(re)) no();
  };
  /** A JSON string at `i` (after whitespace); returns its start (the quote) and moves past it. */
  const string = (): number => {
    ws();
    const start = i;
    match(STRING);
    return start;
  };
  const decoded = (start: number): string => JSON.parse(buf.toString('utf8', start, i)) as string;
  /** The members of an object at `i`: calls `member` with each key (each at most once), the value at `i`. */
  const object = (member: (key: string) => void) => {
    expect(OPEN_OBJ);
    ws();
    if (at(i) === CLOSE_OBJ) {
      i++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      const key = decoded(string());
      if (seen.has(key)) no();
      seen.add(key);
      expect(COLON);
      member(key);
      ws();
      const c = at(i++);
      if (c === CLOSE_OBJ) return;
      if (c !== COMMA_B) no();
    }
  };
  const array = (item: () => void) => {
    expect(OPEN_ARR);
    ws();
    if (at(i) === CLOSE_ARR) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      const c = at(i++);
      if (c === CLOSE_ARR) return;
      if (c !== COMMA_B) no();
    }
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (at(i + k) !== word.charCodeAt(k)) no();
    i += word.length;
  };
  /** Any JSON value (only `stats` is skipped this way); checked, then dropped. */
  const skipValue = (depth: number) => {
    if (depth > MAX_DEPTH) no();
    ws();
    const c = at(i);
    if (c === OPEN_OBJ) object(() => skipValue(depth + 1));
    else if (c === OPEN_ARR) array(() => skipValue(depth + 1));
    else if (c === QUOTE) string();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else match(NUMBER);
  };
  /**
   * A `values` array: `[` entry (`,` entry)* `]`, as `array(…)` would read it, in one loop:
   * it runs once per line, so the general path's three calls per entry are left out.
   */
  const entries = () => {
    expect(OPEN_ARR);
    ws();
    if (at(i) === CLOSE_ARR) {
      i++;
      return;
    }
    for (;;) {
      ws(); // whitespace before an entry is allowed, as between any tokens; then the entry must match
      match(ENTRY);
      scanned++;
      let c = at(i++);
      if (c !== COMMA_B && c !== CLOSE_ARR) {
        i--;
        ws();
        c = at(i++);
      }
      if (c === CLOSE_ARR) return;
      if (c !== COMMA_B) no();
    }
  };
  const stream = () => {
    ws();
    const start = i;
    const first = scanned;
    const wasKept = lastKept;
    let labels: Record<string, string> | undefined;
    let hasValues = false;
    object((key) => {
      if (key === 'stream') {
        ws();
        const from = i;
        let count = 0;
        object(() => {
          string();
          count++;
        });
        labels = JSON.parse(buf.toString('utf8', from, i)) as Record<string, string>;
        if (Object.keys(labels).length !== count) no();
      } else if (key === 'values') {
        entries();
        hasValues = true;
      } else no();
    });
    if (!labels || !hasValues) no();
    lastKept = keep(labels!);
    if (!lastKept) return;
    // Kept right after a kept one: the same range grows over the comma between them.
    if (wasKept) kept[kept.length - 1]![1] = i;
    else kept.push([start, i]);
    lines += scanned - first;
    if (lines > maxLines) no();
  };

  try {
    let status = false;
    let type = false;
    let result = false;
    object((key) => {
      if (key === 'status') status = decoded(string()) === 'success' || no();
      else if (key === 'data')
        object((k) => {
          if (k === 'resultType') type = decoded(string()) === 'streams' || no();
          else if (k === 'result') {
            array(stream);
            result = true;
          } else if (k === 'stats') skipValue(0);
          else no();
        });
      else no();
    });
    ws();
    if (i !== buf.length || !status || !type || !result) return undefined;
  } catch (err) {
    if (err instanceof NotSpliceable || err instanceof SyntaxError) return undefined;
    throw err;
  }
  const parts: Buffer[] = [PREFIX];
  kept.forEach(([from, to], k) => parts.push(...(k === 0 ? [] : [COMMA]), buf.subarray(from, to)));
  parts.push(SUFFIX);
  return { parts, bytes: parts.reduce((n, p) => n + p.length, 0), lines };
}
