import { describe, expect, it } from 'vitest';

import { formatJson, formatText, nsToIso } from '../../../src/features/logs/download.ts';
import { entriesOf } from '../../../src/features/logs/log-entries.ts';
import { newestFirst } from '../../../src/features/logs/tail-buffer.ts';

const entries = entriesOf([
  {
    stream: { cluster: 'prod', namespace: 'web', pod: 'web-1' },
    values: [
      ['1764158400000000001', 'level=info msg="started"'],
      ['1764158401500000000', '{"level":"error","msg":"boom"}'],
    ],
  },
]);

describe('downloads', () => {
  it('keep Loki’s nanoseconds in the times', () => {
    expect(nsToIso('1764158400000000001', 1_764_158_400_000)).toBe('2025-11-26T12:00:00.000000001Z');
  });

  it('as text: one line per entry, newest first, with level and labels', () => {
    expect(formatText(newestFirst(entries))).toBe(
      '2025-11-26T12:00:01.500000000Z error {cluster="prod", namespace="web", pod="web-1"} {"level":"error","msg":"boom"}\n' +
        '2025-11-26T12:00:00.000000001Z info {cluster="prod", namespace="web", pod="web-1"} level=info msg="started"\n',
    );
    expect(formatText(newestFirst([]))).toBe('');
  });

  it('as JSON: an array with exact and readable times', () => {
    const parsed = JSON.parse(formatJson(newestFirst(entries))) as unknown[];
    expect(parsed).toEqual([
      {
        timestamp: '2025-11-26T12:00:01.500000000Z',
        ns: '1764158401500000000',
        level: 'error',
        labels: { cluster: 'prod', namespace: 'web', pod: 'web-1' },
        line: '{"level":"error","msg":"boom"}',
      },
      {
        timestamp: '2025-11-26T12:00:00.000000001Z',
        ns: '1764158400000000001',
        level: 'info',
        labels: { cluster: 'prod', namespace: 'web', pod: 'web-1' },
        line: 'level=info msg="started"',
      },
    ]);
  });
});
