import { EventEmitter } from 'node:events';

import type { Response } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { logsTailEvents, type LogsTailLines, type Problem } from '@fleetdeck/shared';

import { logAccess } from '../../src/access/logql/index.ts';
import { LOGS_TAIL_LIMITS, type LogsTailLimits } from '../../src/routes/logs-tail-limits.ts';
import { LogsTailRelay, type TailPart } from '../../src/routes/logs-tail-relay.ts';
import type { LokiApi, LokiTailHandlers, LokiTailParams, OrgIds } from '../../src/sources/loki/loki-api.ts';
import { LokiError } from '../../src/sources/loki/loki-error.ts';

/** A LokiApi whose tails the test drives by hand. */
function fakeLoki() {
  const tails: { p: LokiTailParams; orgIds: OrgIds; h: LokiTailHandlers; closed: boolean }[] = [];
  const loki = {
    tail(p: LokiTailParams, orgIds: OrgIds, h: LokiTailHandlers) {
      const t = { p, orgIds, h, closed: false };
      tails.push(t);
      return {
        close() {
          if (t.closed) return;
          t.closed = true;
          h.onClose();
        },
      };
    },
  } as Pick<LokiApi, 'tail'> as LokiApi;
  return { loki, tails };
}

/** Just what the relay uses of an Express response, recording what was written. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  statusCode = 0;
  headers: Record<string, string> = {};
  writableEnded = false;
  writableLength = 0;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  /** The events written, parsed with the contract's schemas. */
  events() {
    return this.chunks
      .join('')
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n') as [string, string];
        const name = eventLine.slice('event: '.length) as keyof typeof logsTailEvents;
        return { name, data: logsTailEvents[name].parse(JSON.parse(dataLine.slice('data: '.length))) };
      });
  }
}

const A = logAccess([{ clusters: ['a-1', 'a-2'], namespaces: '*' }]);
const DEV = logAccess([{ clusters: ['a-stg'], namespaces: ['client-a-*'] }]);
const parts: TailPart[] = [
  { query: '{cluster=~"a-(?:1|2)"}', access: A, orgIds: ['org-a'] },
  { query: '{cluster=~"a-stg", namespace=~"client-a-.*"}', access: DEV, orgIds: ['org-a'] },
];
const params = { start: 1n, limit: 10, delayForSeconds: 0 };
const entry = (ts: number, line = `line ${ts}`): [string, string] => [String(1_700_000_000_000_000_000n + BigInt(ts)), line];

function setup(limits: Partial<LogsTailLimits> = {}, now?: () => number) {
  const { loki, tails } = fakeLoki();
  const onEnd = vi.fn();
  const relay = new LogsTailRelay({
    loki,
    parts,
    params,
    limits: { ...LOGS_TAIL_LIMITS, ...limits },
    requestId: 'req-1',
    instance: '/api/logs/tail',
    onEnd,
    ...(now && { now }),
  });
  const res = new FakeResponse();
  return { relay, tails, res, onEnd, asRes: res as unknown as Response };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LogsTailRelay', () => {
  it("opens one upstream tail per group, with that group's query and org ids, and resolves once all are open", async () => {
    const { relay, tails } = setup();
    let opened = false;
    const open = relay.open().then(() => (opened = true));
    expect(tails.map((t) => [t.p.query, t.orgIds, t.p.limit])).toEqual([
      [parts[0]!.query, ['org-a'], 10],
      [parts[1]!.query, ['org-a'], 10],
    ]);
    tails[0]!.h.onOpen();
    await Promise.resolve();
    expect(opened).toBe(false);
    tails[1]!.h.onOpen();
    await open;
    expect(opened).toBe(true);
  });

  it('rejects with the first failure and closes the other upstream tails', async () => {
    const { relay, tails, onEnd } = setup();
    const open = relay.open();
    tails[0]!.h.onOpen();
    tails[1]!.h.onClose(new LokiError('Loki is unreachable'));
    await expect(open).rejects.toThrow('Loki is unreachable');
    expect(tails[0]!.closed).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it("sends ready, then lines each re-filtered by its own group's scope; other streams are neither sent nor counted", async () => {
    const { relay, tails, res, asRes } = setup();
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    // A frame before stream() (the backfill) is kept and sent after ready.
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'a-1', namespace: 'x' }, values: [entry(2), entry(1)] }], dropped: 0 });
    expect(relay.stream(asRes)).toBe(true);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    tails[1]!.h.onFrame({
      streams: [
        { stream: { cluster: 'a-stg', namespace: 'client-a-apps' }, values: [entry(3)] },
        // Outside this group: another namespace, a cluster only the first group holds, another tenant.
        { stream: { cluster: 'a-stg', namespace: 'platform-system' }, values: [entry(4, 'PLATFORM')] },
        { stream: { cluster: 'a-1', namespace: 'client-a-apps' }, values: [entry(5, 'WRONG GROUP')] },
        { stream: { cluster: 'b-1', namespace: 'client-b-apps' }, values: [entry(6, 'CLIENT-B')] },
      ],
      dropped: 2,
    });
    // Nothing the person may read: no event at all.
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'b-1' }, values: [entry(7)] }], dropped: 0 });
    const events = res.events();
    expect(events.map((e) => e.name)).toEqual(['ready', 'lines', 'lines']);
    const [first, second] = events.slice(1).map((e) => e.data as LogsTailLines);
    // Oldest first within a stream.
    expect(first).toEqual({ streams: [{ stream: { cluster: 'a-1', namespace: 'x' }, values: [entry(1), entry(2)] }], dropped: 0 });
    expect(second).toEqual({ streams: [{ stream: { cluster: 'a-stg', namespace: 'client-a-apps' }, values: [entry(3)] }], dropped: 2 });
    expect(res.chunks.join('')).not.toMatch(/PLATFORM|WRONG GROUP|CLIENT-B/);
  });

  it('counts lines beyond the line budget into dropped instead of sending them', async () => {
    const now = 0;
    const { relay, tails, res, asRes } = setup({ burstLines: 3, linesPerSecond: 1 }, () => now);
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    relay.stream(asRes);
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'a-2' }, values: [1, 2, 3, 4, 5].map((i) => entry(i)) }], dropped: 1 });
    const lines = res.events()[1]!.data as LogsTailLines;
    expect(lines.streams[0]!.values).toHaveLength(3);
    expect(lines.dropped).toBe(1 + 2);
  });

  it('ends with an error event (problem JSON) when Loki ends a tail, and closes the others', async () => {
    const { relay, tails, res, asRes, onEnd } = setup();
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    relay.stream(asRes);
    tails[1]!.h.onClose(new LokiError('Loki ended the live tail (code 1011)'));
    const last = res.events().at(-1)!;
    expect(last.name).toBe('error');
    expect(last.data as Problem).toMatchObject({ status: 502, detail: 'Loki ended the live tail (code 1011)', requestId: 'req-1' });
    expect(res.writableEnded).toBe(true);
    expect(tails[0]!.closed).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ends after the maximum duration with an error event, and sends heartbeats meanwhile', async () => {
    vi.useFakeTimers();
    const { relay, tails, res, asRes } = setup({ maxDurationMs: 60_000, heartbeatMs: 15_000 });
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    relay.stream(asRes);
    vi.advanceTimersByTime(59_000);
    expect(res.chunks.filter((c) => c === ': ping\n\n')).toHaveLength(3);
    expect(res.writableEnded).toBe(false);
    vi.advanceTimersByTime(1_000);
    const last = res.events().at(-1)!;
    expect(last.name).toBe('error');
    expect((last.data as Problem).detail).toMatch(/at most 1 minutes/);
    expect(tails.every((t) => t.closed)).toBe(true);
  });

  it('closes every upstream tail when the browser goes away, and stops writing', async () => {
    const { relay, tails, res, asRes, onEnd } = setup();
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    relay.stream(asRes);
    res.emit('close');
    expect(tails.every((t) => t.closed)).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
    const before = res.chunks.length;
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'a-1' }, values: [entry(1)] }], dropped: 0 });
    expect(res.chunks.length).toBe(before);
  });

  it('rejects open() when closed while connecting (the browser left first)', async () => {
    const { relay, tails, onEnd } = setup();
    const open = relay.open();
    relay.close();
    await expect(open).rejects.toThrow(LokiError);
    expect(tails.every((t) => t.closed)).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('counts lines into dropped while the reader is too slow to write to, and reports them with the next lines', async () => {
    const { relay, tails, res, asRes } = setup({ maxBufferedBytes: 100 });
    const open = relay.open();
    for (const t of tails) t.h.onOpen();
    await open;
    relay.stream(asRes);
    res.writableLength = 1000;
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'a-1' }, values: [entry(1), entry(2)] }], dropped: 0 });
    res.writableLength = 0;
    tails[0]!.h.onFrame({ streams: [{ stream: { cluster: 'a-1' }, values: [entry(3)] }], dropped: 0 });
    const lines = res.events().filter((e) => e.name === 'lines');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.data).toEqual({ streams: [{ stream: { cluster: 'a-1' }, values: [entry(3)] }], dropped: 2 });
  });
});
