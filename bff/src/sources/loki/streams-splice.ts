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
 * It reads the answer as it arrives (StreamsSplicer): each stream is passed on once its
 * closing brace is read, so the BFF sends while Loki is still sending, as a plain proxy
 * would, rather than holding half a megabyte until the last byte (store and forward cost
 * 0.6 ms more than piping on a 5,000-line answer, and the scan 0.45 ms more again).
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

/** The answer is not exactly Loki's documented shape (or holds more lines than allowed): the caller parses it in full. */
export class NotSpliceable extends Error {
  constructor() {
    super('not the documented streams shape');
    this.name = 'NotSpliceable';
  }
}
/**
 * The bytes so far end inside the current step: it is read again, whole, once more have
 * come. One instance, thrown again and again: a new Error captures a stack trace, which
 * cost 0.5 ms of CPU per 5,000-line answer arriving in 64 KB chunks.
 */
class NeedMore extends Error {}
const NEED_MORE = new NeedMore();
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
// multi-byte characters are ≥ 0x80 and pass as string content (what was read is checked as
// UTF-8 before any of it is passed on). Regular expressions because V8 compiles them to
// machine code: a loop over the bytes in JavaScript cost about as much again. One match per
// entry, not one per `values` array: a whole array in one match overflows the regex stack
// at a few hundred thousand entries.
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
 * Where the scan is between steps. A step reads one whole thing — a member of the outer
 * objects with its value, one stream, one separator — and the scan only ever stops
 * between steps, so this and the counters below are all it needs to go on.
 */
type Phase =
  | 'open' // before the outer `{`
  | 'top' // a key of the outer object next
  | 'topNext' // `,` or `}` after a member of the outer object
  | 'data' // a key of `data` next
  | 'dataNext' // `,` or `}` after a member of `data`
  | 'stream' // a stream of `result` next (its `{`)
  | 'streamKey' // a key of the stream in progress next
  | 'entries' // entries of its `values` next (one step each)
  | 'streamKeyNext' // `,` or `}` after a member of the stream
  | 'streamNext' // `,` or `]` after a stream
  | 'end'; // only whitespace may follow

/**
 * The splice over an answer given a chunk at a time: `push` returns the pieces of the
 * answer that may be sent now (the kept streams read whole so far, the fixed opening
 * first), `end` the rest. Either throws NotSpliceable when the bytes are not exactly the
 * documented shape; pieces already returned were then checked, but the answer as a whole
 * is not, so a caller that has sent some must fail the response rather than end it.
 *
 * A step is small — a key and its value, a stream's labels, one entry — so a step cut by a
 * chunk's end is read again from its start when more has come; the bytes from the start
 * of the stream in progress are kept (a kept stream is passed on whole) and joined with
 * what came only once the bytes waiting are as many as those kept, so a single stream of
 * megabytes arriving in 64 KB chunks is copied about twice in all, not once per chunk.
 */
export class StreamsSplicer {
  readonly #keep: (labels: Readonly<Record<string, string>>) => boolean;
  readonly #maxLines: number;
  /** The unread bytes, from the start of the step in progress. */
  #buf: Buffer = Buffer.alloc(0);
  /** Chunks come since `#buf` was last joined. */
  #waiting: Buffer[] = [];
  #waitingBytes = 0;
  /** Don't try again before `#buf` plus what waits is this long. */
  #retryAt = 0;
  /** Where in `#buf` the scan goes on: after the last whole step (the stream in progress starts before it). */
  #resume = 0;
  /** Bytes of `#buf` before this are checked as UTF-8. */
  #checked = 0;
  #phase: Phase = 'open';
  /** The stream being read; `start` is its offset in `#buf`. */
  #stream: { start: number; keys: Set<string>; labels: Record<string, string> | undefined; values: boolean; lines: number } | undefined;
  #topKeys = new Set<string>();
  #dataKeys = new Set<string>();
  #status = false;
  #type = false;
  #result = false;
  #lines = 0;
  /** Kept streams read while status/resultType were not yet known (Loki writes them first). */
  #held: Buffer[] = [];
  /** Whether the opening and a stream have been given out: the next kept stream needs a comma first. */
  #opened = false;
  #streamsOut = 0;
  #ended = false;
  #failed = false;
  #bytesRead = 0;

  constructor(keep: (labels: Readonly<Record<string, string>>) => boolean, maxLines: number) {
    this.#keep = keep;
    this.#maxLines = maxLines;
  }

  /** Entries in the kept streams so far. */
  get lines(): number {
    return this.#lines;
  }

  /** Bytes read by the scan or copied to join chunks: a small multiple of the answer's size, never its square. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.#ended || this.#failed) throw new Error('StreamsSplicer: push after the end or a failure');
    this.#waiting.push(chunk);
    this.#waitingBytes += chunk.length;
    if (this.#buf.length + this.#waitingBytes < this.#retryAt) return [];
    return this.#guard(() => this.#scan());
  }

  end(): Buffer[] {
    if (this.#ended || this.#failed) throw new Error('StreamsSplicer: end after the end or a failure');
    this.#ended = true;
    return this.#guard(() => {
      const out = this.#scan();
      if (this.#phase !== 'end' || !this.#status || !this.#type || !this.#result) no();
      out.push(...this.#release());
      if (!this.#opened) out.unshift(PREFIX);
      this.#opened = true;
      out.push(SUFFIX);
      return out;
    });
  }

  #guard(run: () => Buffer[]): Buffer[] {
    try {
      return run();
    } catch (err) {
      this.#failed = true;
      if (err instanceof SyntaxError) throw new NotSpliceable();
      throw err;
    }
  }

  /** The held streams, once the answer is known to be a successful streams answer. */
  #release(): Buffer[] {
    if (!this.#status || !this.#type || this.#held.length === 0) return [];
    const out = this.#held;
    this.#held = [];
    return out;
  }

  /** Reads as many whole steps as the bytes hold; returns what may be sent. */
  #scan(): Buffer[] {
    if (this.#waiting.length > 0) {
      const all = this.#buf.length === 0 ? this.#waiting : [this.#buf, ...this.#waiting];
      // One chunk is used as it is: a whole answer given at once is never copied.
      this.#buf = all.length === 1 ? all[0]! : Buffer.concat(all);
      if (all.length > 1) this.#bytesRead += this.#buf.length;
      this.#waiting = [];
      this.#waitingBytes = 0;
    }
    const buf = this.#buf;
    this.#bytesRead += buf.length - this.#resume;
    const ended = this.#ended;
    const keep = this.#keep;
    /** `buf[base, base + text.length)` as latin1: the window the scan reads. */
    let base = 0;
    let text = '';
    const load = (from: number, size: number) => {
      base = from;
      text = buf.toString('latin1', from, Math.min(buf.length, from + size));
    };
    const atEnd = () => base + text.length >= buf.length;
    let i = this.#resume;
    /** Where the step in progress began. */
    let mark = i;
    /** Kept streams read in this call: byte ranges, neighbours joined into one. */
    const kept: [number, number][] = [];
    /** Whether the stream before, in this call, was kept (a kept one after it joins its range). */
    let prevKept = false;

    /** The byte at `k`; past what has come: NaN at the answer's end (no comparison passes), else wait for more. */
    const at = (k: number) => {
      if (k < base || k >= base + text.length) {
        if (k >= buf.length) {
          if (!ended) throw NEED_MORE;
          return NaN;
        }
        load(k, SPLICE_WINDOW_BYTES);
      }
      return text.charCodeAt(k - base);
    };
    /**
     * Whether sticky `re` matches at `i` (moving `i` past the match). A match that fails, or
     * ends at the window's edge, may have been cut by the window: it is tried again from `i`
     * on a window twice the size, until the window reaches the bytes' end. There, before the
     * answer's end, such a match waits for more bytes. Every failure ends the scan, so that
     * costs at most one more pass over the rest of the bytes.
     */
    const test = (re: RegExp): boolean => {
      if (i < base || i >= base + text.length) {
        if (i >= buf.length && !ended) throw NEED_MORE;
        load(i, SPLICE_WINDOW_BYTES);
      }
      for (let size = SPLICE_WINDOW_BYTES; ; size *= 2) {
        re.lastIndex = i - base;
        const ok = re.test(text);
        if (ok && re.lastIndex < text.length) {
          i = base + re.lastIndex;
          return true;
        }
        if (atEnd()) {
          if (!ended) throw NEED_MORE;
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
    /** A key of one of the outer objects, not seen before in it. */
    const key = (seen: Set<string>): string => {
      const k = decoded(string());
      if (seen.has(k)) no();
      expect(COLON);
      return k;
    };

    try {
      for (;;) {
        mark = i;
        switch (this.#phase) {
          case 'open':
            expect(OPEN_OBJ);
            this.#phase = 'top';
            break;
          case 'top': {
            const k = key(this.#topKeys);
            if (k === 'status') this.#status = decoded(string()) === 'success' || no();
            else if (k === 'data') expect(OPEN_OBJ);
            else no();
            this.#topKeys.add(k);
            this.#phase = k === 'data' ? 'data' : 'topNext';
            break;
          }
          case 'topNext': {
            ws();
            const c = at(i++);
            if (c === CLOSE_OBJ) this.#phase = 'end';
            else if (c === COMMA_B) this.#phase = 'top';
            else no();
            break;
          }
          case 'data': {
            const k = key(this.#dataKeys);
            let next: Phase = 'dataNext';
            if (k === 'resultType') this.#type = decoded(string()) === 'streams' || no();
            else if (k === 'stats') skipValue(0);
            else if (k === 'result') {
              expect(OPEN_ARR);
              ws();
              if (at(i) === CLOSE_ARR) {
                i++;
                this.#result = true;
              } else next = 'stream';
            } else no();
            this.#dataKeys.add(k);
            this.#phase = next;
            break;
          }
          case 'dataNext': {
            ws();
            const c = at(i++);
            if (c === CLOSE_OBJ) this.#phase = 'topNext';
            else if (c === COMMA_B) this.#phase = 'data';
            else no();
            break;
          }
          case 'stream':
            ws();
            this.#stream = { start: i, keys: new Set(), labels: undefined, values: false, lines: 0 };
            expect(OPEN_OBJ);
            this.#phase = 'streamKey';
            break;
          case 'streamKey': {
            const st = this.#stream!;
            const k = key(st.keys);
            if (k === 'stream') {
              ws();
              const from = i;
              let count = 0;
              object(() => {
                string();
                count++;
              });
              const labels = JSON.parse(buf.toString('utf8', from, i)) as Record<string, string>;
              if (Object.keys(labels).length !== count) no();
              st.labels = labels;
              this.#phase = 'streamKeyNext';
            } else if (k === 'values') {
              expect(OPEN_ARR);
              ws();
              if (at(i) === CLOSE_ARR) {
                i++;
                this.#phase = 'streamKeyNext';
              } else this.#phase = 'entries';
              st.values = true;
            } else no();
            st.keys.add(k);
            break;
          }
          case 'entries': {
            // Entries one after the other, each its own step, in one loop: it runs once per
            // line. Whitespace before an entry is allowed, as between any tokens; then the
            // entry must match.
            const st = this.#stream!;
            for (;;) {
              ws();
              match(ENTRY);
              let c = at(i++);
              if (c !== COMMA_B && c !== CLOSE_ARR) {
                i--;
                ws();
                c = at(i++);
              }
              if (c !== COMMA_B && c !== CLOSE_ARR) no();
              st.lines++;
              mark = i;
              if (c === CLOSE_ARR) break;
            }
            this.#phase = 'streamKeyNext';
            break;
          }
          case 'streamKeyNext': {
            ws();
            const c = at(i++);
            if (c === COMMA_B) {
              this.#phase = 'streamKey';
              break;
            }
            if (c !== CLOSE_OBJ) no();
            const st = this.#stream!;
            if (!st.labels || !st.values) no();
            this.#stream = undefined;
            this.#phase = 'streamNext';
            if (!keep(st.labels!)) {
              prevKept = false;
              break;
            }
            this.#lines += st.lines;
            if (this.#lines > this.#maxLines) no();
            // Kept right after a kept one: the same range grows over the comma between them.
            if (prevKept) kept[kept.length - 1]![1] = i;
            else kept.push([st.start, i]);
            prevKept = true;
            break;
          }
          case 'streamNext': {
            ws();
            const c = at(i++);
            if (c === CLOSE_ARR) {
              this.#result = true;
              this.#phase = 'dataNext';
            } else if (c === COMMA_B) this.#phase = 'stream';
            else no();
            break;
          }
          case 'end':
            ws();
            if (i !== buf.length) no();
            throw NEED_MORE; // the answer's end (or more bytes) decides
        }
      }
    } catch (err) {
      if (err !== NEED_MORE) throw err;
    }
    // What was read whole is checked as UTF-8 before any of it is passed on. Steps end on
    // ASCII punctuation, so the check never cuts a character; a step in progress is checked
    // when it is read whole.
    if (!isUtf8(buf.subarray(this.#checked, mark))) no();
    // Kept from the start of the stream in progress (to be passed on whole), read on from `mark`.
    const from = Math.min(mark, this.#stream?.start ?? mark);
    for (const [start, to] of kept) this.#held.push(...(this.#streamsOut++ === 0 ? [] : [COMMA]), buf.subarray(start, to));
    if (this.#stream) this.#stream.start -= from;
    this.#buf = buf.subarray(from);
    this.#resume = mark - from;
    this.#checked = this.#resume;
    this.#retryAt = ended ? 0 : 2 * this.#buf.length;
    const out = this.#release();
    if (out.length > 0 && !this.#opened) {
      this.#opened = true;
      out.unshift(PREFIX);
    }
    return out;
  }
}

/**
 * The splice of a whole answer at once: the answer with only the streams whose labels
 * `keep` accepts, or undefined when the body is not exactly the documented shape or holds
 * more than `maxLines` kept entries (the caller then parses it in full).
 */
export function spliceStreams(
  buf: Buffer,
  keep: (labels: Readonly<Record<string, string>>) => boolean,
  maxLines: number,
): SplicedStreams | undefined {
  const splicer = new StreamsSplicer(keep, maxLines);
  try {
    const parts = [...splicer.push(buf), ...splicer.end()];
    return { parts, bytes: parts.reduce((n, p) => n + p.length, 0), lines: splicer.lines };
  } catch (err) {
    if (err instanceof NotSpliceable) return undefined;
    throw err;
  }
}
