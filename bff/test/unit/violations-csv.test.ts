import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { VIOLATION_CSV_COLUMNS } from '@fleetdeck/shared';

import { CSV_HEADER, csvCell, csvRow, streamCsv, violationCells } from '../../src/access/violations/violation-csv.ts';
import { violation } from './violations-fixtures.ts';

describe('violation CSV', () => {
  it('quotes per RFC 4180 only where needed', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvRow(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes the columns in the contract’s order', () => {
    expect(CSV_HEADER).toBe(`${VIOLATION_CSV_COLUMNS.join(',')}\r\n`);
    const v = violation({ cluster: 'a-prod', rule: 'r1', category: 'Best Practices' }, 'client-a-web');
    const cells = violationCells(v, 'client-a');
    expect(cells[VIOLATION_CSV_COLUMNS.indexOf('tenant')]).toBe('client-a');
    expect(cells[VIOLATION_CSV_COLUMNS.indexOf('namespace')]).toBe('client-a-web');
    expect(cells[VIOLATION_CSV_COLUMNS.indexOf('message')]).toBe(v.message);
    expect(cells).toHaveLength(VIOLATION_CSV_COLUMNS.length);
  });

  it('streams in chunks and waits for a slow reader instead of buffering everything', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => violation({ cluster: 'a-prod', message: `m${i} `.repeat(20) }, 'client-a-web'));
    const chunks: number[] = [];
    let maxBuffered = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.length);
        maxBuffered = Math.max(maxBuffered, out.writableLength);
        setTimeout(done, 1);
      },
    });
    const written = await streamCsv(out, rows, () => 'client-a', 8 * 1024);
    expect(written).toBe(3000);
    expect(chunks.length).toBeGreaterThan(10);
    // Never more than about one chunk past the high-water mark is waiting in memory.
    expect(maxBuffered).toBeLessThan(16 * 1024 + 16 * 1024);
    expect(out.writableEnded).toBe(true);
  });

  it('stops when the client goes away', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => violation({ cluster: 'a-prod', message: `m${i} `.repeat(20) }, 'ns'));
    let seen = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, done) {
        if (++seen === 2) out.destroy();
        setTimeout(done, 1);
      },
    });
    const written = await streamCsv(out, rows, () => undefined, 4 * 1024);
    expect(written).toBeLessThan(5000);
  });
});

describe('violation CSV from cached row text', () => {
  const tricky = [
    violation({ cluster: 'a-prod', message: 'plain' }, 'client-a-web'),
    violation({ cluster: 'a-prod', message: 'has, a comma and "quotes"', rule: '=cmd|calc' }, 'client-a-web'),
    violation({ cluster: 'a-prod', message: 'two\r\nlines', category: '@risk' }),
    violation({ cluster: 'b-prod', message: '-1', policy: '+policy' }, 'client-b-web'),
    violation({ cluster: 'b-prod', message: '\tlead tab' }, 'kube-system'),
  ];
  async function exported(rows: typeof tricky, tenantOf: (c: string) => string | undefined): Promise<string> {
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    await streamCsv(out, rows, tenantOf, 64);
    return text;
  }
  const quoted = (rows: typeof tricky, tenantOf: (c: string) => string | undefined) =>
    CSV_HEADER + rows.map((v) => csvRow(violationCells(v, tenantOf(v.cluster)))).join('');

  it('writes the same bytes as quoting every cell of every row, the first time and from the cache', async () => {
    const tenants = (c: string) => (c === 'a-prod' ? 'client-a' : '=b,tenant');
    expect(await exported(tricky, tenants)).toBe(quoted(tricky, tenants));
    expect(await exported(tricky, tenants)).toBe(quoted(tricky, tenants));
  });

  it('takes the tenant from the inventory at export time, never from the cache', async () => {
    await exported(tricky, () => 'tenant-before');
    const moved = (c: string) => (c === 'b-prod' ? 'tenant-after' : undefined);
    const text = await exported(tricky, moved);
    expect(text).toBe(quoted(tricky, moved));
    expect(text).toContain('tenant-after');
    expect(text).not.toContain('tenant-before');
  });

  it('gives a changed row its own text (rows are replaced, never edited)', async () => {
    const first = tricky[0]!;
    await exported([first], () => 'client-a');
    const changed = { ...first, message: 'fixed message' };
    expect(await exported([changed], () => 'client-a')).toBe(quoted([changed], () => 'client-a'));
  });
});
