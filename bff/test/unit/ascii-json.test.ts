import { describe, expect, it } from 'vitest';

import { asciiJson, asciiJsonBytes } from '../../src/lib/ascii-json.ts';

const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) < 0x80);

describe('asciiJson', () => {
  const values: [string, unknown][] = [
    ['an em dash in a help text', { help: 'p50–p95 — the fleet band' }],
    ['Latin-1 letters', { name: 'Zürich façade' }],
    ['a character outside the BMP (a surrogate pair)', { note: 'deploy 🚀 done' }],
    ['a lone surrogate', { broken: 'a\ud800b', other: '\udfff' }],
    ['line and paragraph separators', ['\u2028', '\u2029']],
    ['non-ASCII in a key', { clé: 1, nested: [{ ünïcode: 'ok' }] }],
    ['JSON escapes beside non-ASCII', { s: '"\\\n\t\u0001—' }],
    ['numbers, booleans, null', [1.5, -0, 1e21, true, false, null]],
  ];

  it.each(values)('%s: ASCII text that parses to what JSON.stringify’s text parses to', (_, value) => {
    const text = asciiJson(value);
    expect(isAscii(text)).toBe(true);
    // Object.is per leaf (toStrictEqual): -0 becomes 0 through any JSON text, and must here too.
    expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(value)));
  });

  it('keeps every string as it was, whatever its characters', () => {
    const strings = ['p50–p95 — band', 'Zürich', 'deploy 🚀', 'a\ud800b', '\u2028\u2029', '"\\\n—'];
    expect(JSON.parse(asciiJson(strings))).toEqual(strings);
  });

  it('writes each UTF-16 unit as one lower-case \\u escape', () => {
    expect(asciiJson('—')).toBe('"\\u2014"');
    expect(asciiJson('é')).toBe('"\\u00e9"');
    expect(asciiJson('🚀')).toBe('"\\ud83d\\ude80"');
  });

  it('leaves ASCII text as JSON.stringify writes it', () => {
    const value = { panels: [{ cluster: 'client-a-dev-00001', value: 0.25 }], at: '2026-11-27T06:00:00.000Z' };
    expect(asciiJson(value)).toBe(JSON.stringify(value));
  });

  it('has no text for undefined, as JSON.stringify has none', () => {
    expect(asciiJson(undefined)).toBe('');
  });
});

describe('asciiJsonBytes', () => {
  it('returns ASCII bytes as they are, the same buffer', () => {
    const bytes = Buffer.from('{"stream":{"app":"web"},"values":[["1","GET /healthz 200"]]}');
    expect(asciiJsonBytes(bytes)).toBe(bytes);
  });

  it('escapes a piece with log lines outside ASCII, to the same value', () => {
    const piece = {
      stream: { app: 'web', zone: 'zürich' },
      values: [
        ['1', 'took 3 µs — ok 🚀'],
        ['2', 'a\u2028b'],
      ],
    };
    const out = asciiJsonBytes(Buffer.from(JSON.stringify(piece)));
    expect(out.findIndex((b) => b >= 0x80)).toBe(-1);
    expect(JSON.parse(out.toString('latin1'))).toEqual(piece);
  });
});
