import { isAscii } from 'node:buffer';

/**
 * JSON text with every character outside ASCII written as a `\uXXXX` escape: the same
 * value to any JSON parser, and bytes a browser decodes at its ASCII speed.
 *
 * Why: Chromium keeps a decoded text either as Latin-1 or as UTF-16, for the whole body.
 * One character above U+00FF anywhere (the nine em dashes in the health panels' help)
 * made it decode the Health page's 0.7–1.2 MB panel set on its slow path into a UTF-16
 * string twice that size, on the page's main thread: 28–40 ms of `TextResourceDecoder::Decode`
 * per range change in a Chromium trace, then a JSON.parse over two-byte text. Python's
 * `json.dumps` escapes the same way by default (`ensure_ascii`).
 *
 * Only string contents can hold such characters in JSON text, so escaping them there
 * changes no value. JSON.stringify already writes lone surrogates as escapes; a pair
 * becomes two escapes, as JSON allows.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

// A global regex replace, not a loop that builds the text in pieces: both scan, but the
// loop's pieces must be joined again before the text is written (node, the 0.7 MB panel
// set with nine em dashes, stringify + escape + Buffer.from: replace 17.7 ms, loop 20.9 ms,
// JSON.stringify alone 11.1 ms). An ASCII text is only scanned up to its end.

export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value);
  // undefined (a bare undefined or function) has no JSON text; res.send sends an empty body, as Express does.
  if (text === undefined) return '';
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, escape) : text;
}

/**
 * JSON bytes (a piece of a JSON text cut between tokens, such as Loki's own streams) as
 * ASCII: the same buffer when it already is, which is the common case and costs one
 * native scan; else its characters outside ASCII written as escapes, as `asciiJson` does.
 * Log lines are where such characters turn up.
 */
export function asciiJsonBytes(bytes: Buffer): Buffer {
  if (isAscii(bytes)) return bytes;
  return Buffer.from(bytes.toString('utf8').replace(NON_ASCII_ALL, escape), 'latin1');
}
