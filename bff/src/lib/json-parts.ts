import type { Response } from 'express';

import { asciiJson } from './ascii-json.ts';

/**
 * A JSON answer held in pieces, written one after the other with its Content-Length: node
 * corks writes made in one tick into a single writev, so the answer is never copied into one
 * buffer first. Big answers matter here: a fresh megabyte string or buffer costs 10–12 ms on
 * our two-core machines (joining the nine panels' 1.4 MB of text: 10.7 ms, `Buffer.from` of it:
 * 12.4 ms), mostly the first touch of new memory, against well under 1 ms for a writev of the pieces.
 */
export function sendJsonParts(res: Response, parts: readonly Buffer[]): void {
  res.type('application/json; charset=utf-8');
  res.setHeader(
    'content-length',
    parts.reduce((n, p) => n + p.length, 0),
  );
  for (const part of parts) res.write(part);
  res.end();
}

/**
 * Builds a JSON text as pieces: glue text (keys, punctuation, small values) gathered into one
 * buffer between the big pieces given as bytes. Everything is ASCII (asciiJson), so latin1 is exact.
 */
export class JsonParts {
  readonly #parts: Buffer[] = [];
  #text = '';

  text(text: string): void {
    this.#text += text;
  }

  bytes(bytes: Buffer): void {
    this.#flush();
    this.#parts.push(bytes);
  }

  /**
   * A plain data object, member by member in the order JSON.stringify writes them (the same
   * own-keys order); `member` may write a member's value itself (and says so), else it is
   * `asciiJson`'s text.
   */
  object(obj: object, member: (key: string, value: unknown) => boolean = () => false): void {
    this.text('{');
    let first = true;
    for (const [key, value] of Object.entries(obj)) {
      const prefix = `${first ? '' : ','}${asciiJson(key)}:`;
      // Written before the value: `member` appends the value's own pieces after it.
      const before = this.#text;
      this.text(prefix);
      if (member(key, value)) {
        first = false;
        continue;
      }
      const json = asciiJson(value);
      // undefined, a function: no JSON text, and JSON.stringify leaves such a member out too.
      if (json === '') {
        this.#text = before;
        continue;
      }
      this.text(json);
      first = false;
    }
    this.text('}');
  }

  done(): Buffer[] {
    this.#flush();
    return this.#parts;
  }

  #flush(): void {
    if (this.#text === '') return;
    this.#parts.push(Buffer.from(this.#text, 'latin1'));
    this.#text = '';
  }
}
