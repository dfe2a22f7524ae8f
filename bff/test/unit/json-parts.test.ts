import { describe, expect, it } from 'vitest';

import { asciiJson } from '../../src/lib/ascii-json.ts';
import { JsonParts } from '../../src/lib/json-parts.ts';

const text = (parts: Buffer[]) => Buffer.concat(parts).toString('latin1');

describe('JsonParts', () => {
  it('writes an object as JSON.stringify does, undefined and function members left out wherever they are', () => {
    const values: Record<string, unknown>[] = [
      { a: undefined, b: 1 },
      { a: 1, b: undefined },
      { a: undefined },
      {},
      { f: () => 1, s: 'x', n: null, d: new Date(0), nested: { u: undefined, v: [undefined, 2] } },
      { '2': 'integer keys first', z: 'é—🚀', '1': 'as JSON.stringify orders them' },
    ];
    for (const value of values) {
      const out = new JsonParts();
      out.object(value);
      expect(text(out.done())).toBe(asciiJson(value));
    }
  });

  it('puts bytes a member writes itself between the glue, in order', () => {
    const out = new JsonParts();
    const big = Buffer.from('[1,2,3]', 'latin1');
    out.object({ a: 'x', big: 'ignored', c: undefined, d: true }, (key) => {
      if (key !== 'big') return false;
      out.bytes(big);
      return true;
    });
    const parts = out.done();
    expect(parts).toContain(big);
    expect(text(parts)).toBe('{"a":"x","big":[1,2,3],"d":true}');
  });
});
