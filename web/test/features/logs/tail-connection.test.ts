import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Problem } from '@fleetdeck/shared';

import type { EventSourceLike } from '../../../src/api/live/live-connection.ts';
import { TailConnection, clampTailStart, type TailState } from '../../../src/features/logs/tail-connection.ts';

class FakeSource implements EventSourceLike {
  readyState = 1;
  onerror: ((e: Event) => unknown) | null = null;
  closed = false;
  readonly listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  addEventListener(type: string, l: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data?: unknown) {
    const e =
      data === undefined
        ? (new Event(type) as MessageEvent)
        : new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    for (const l of this.listeners.get(type) ?? []) l(e);
  }
}

const NOW = 1_764_158_400_000;
const nowNs = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const problem = (status: number): Problem => ({ type: 'about:blank', title: 'Tail failed', status, detail: `status ${status}` });

function open(start: string | undefined, diagnose?: (url: string) => Promise<Problem | undefined>) {
  const sources: FakeSource[] = [];
  const lines: unknown[] = [];
  const states: [TailState, Problem | undefined][] = [];
  const conn = new TailConnection(
    '{app="x"}',
    start,
    { onLines: (l) => lines.push(l), onState: (s, p) => states.push([s, p]) },
    {
      createEventSource: (url) => {
        const s = new FakeSource(url);
        sources.push(s);
        return s;
      },
      backoff: { initialMs: 100, maxMs: 400 },
      now: () => NOW,
      ...(diagnose && { diagnose }),
    },
  );
  return {
    conn,
    sources,
    lines,
    states,
    last: () => sources.at(-1)!,
    startOf: (s: FakeSource) => new URL(s.url, 'http://x').searchParams.get('start'),
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the live tail connection', () => {
  it('asks for the query from the given start and passes on parsed lines only', () => {
    const t = open(nowNs(NOW - 60_000));
    const url = new URL(t.last().url, 'http://x');
    expect(url.pathname).toBe('/api/logs/tail');
    expect(url.searchParams.get('query')).toBe('{app="x"}');
    expect(t.startOf(t.last())).toBe(nowNs(NOW - 60_000));
    t.last().emit('ready', {});
    t.last().emit('lines', { streams: [{ stream: { a: 'b' }, values: [['1', 'x']] }], dropped: 0 });
    t.last().emit('lines', { streams: 'nope', dropped: 0 });
    t.last().emit('lines', 'not json');
    expect(t.lines).toHaveLength(1);
    expect(t.states.map(([s]) => s)).toEqual(['connecting', 'live']);
  });

  it('reconnects after a drop with growing backoff, resuming just after the newest line', () => {
    const t = open(undefined);
    t.last().emit('ready', {});
    const newest = nowNs(NOW - 1000);
    t.last().emit('lines', {
      streams: [
        {
          stream: {},
          values: [
            [nowNs(NOW - 2000), 'a'],
            [newest, 'b'],
          ],
        },
      ],
      dropped: 0,
    });
    const first = t.last();
    first.emit('error');
    expect(first.closed).toBe(true);
    expect(t.states.at(-1)![0]).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(t.sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.sources).toHaveLength(2);
    expect(t.startOf(t.last())).toBe((BigInt(newest) + 1n).toString());
    // Still failing: the wait doubles, up to the cap.
    t.last().emit('error');
    vi.advanceTimersByTime(199);
    expect(t.sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(t.sources).toHaveLength(3);
    t.last().emit('error');
    vi.advanceTimersByTime(400);
    t.last().emit('error');
    vi.advanceTimersByTime(400);
    expect(t.sources).toHaveLength(5);
    // Ready again: the next drop waits the shortest time again.
    t.last().emit('ready', {});
    t.last().emit('error');
    vi.advanceTimersByTime(100);
    expect(t.sources).toHaveLength(6);
  });

  it('shows a refused tail’s problem and stops; an upstream problem is shown and retried', () => {
    const refused = open(undefined);
    refused.last().emit('error', problem(400));
    expect(refused.states.at(-1)).toEqual(['failed', problem(400)]);
    vi.advanceTimersByTime(10_000);
    expect(refused.sources).toHaveLength(1);

    const upstream = open(undefined);
    upstream.last().emit('error', problem(502));
    expect(upstream.states.at(-1)).toEqual(['reconnecting', problem(502)]);
    vi.advanceTimersByTime(100);
    expect(upstream.sources).toHaveLength(2);
  });

  it('asks why when the tail is refused before it streams', async () => {
    const diagnose = vi.fn(() => Promise.resolve<Problem | undefined>(problem(429)));
    const t = open(undefined, diagnose);
    t.last().emit('error');
    await Promise.resolve();
    await Promise.resolve();
    expect(diagnose).toHaveBeenCalledWith(t.sources[0]!.url);
    // 429 (too many tails) may heal: shown and retried.
    expect(t.states.at(-1)).toEqual(['reconnecting', problem(429)]);

    const forbidden = open(undefined, () => Promise.resolve(problem(403)));
    forbidden.last().emit('error');
    await Promise.resolve();
    await Promise.resolve();
    expect(forbidden.states.at(-1)).toEqual(['failed', problem(403)]);
  });

  it('stops for good', () => {
    const t = open(undefined);
    t.last().emit('error');
    t.conn.stop();
    vi.advanceTimersByTime(10_000);
    expect(t.sources).toHaveLength(1);
    expect(t.states.at(-1)![0]).toBe('stopped');
  });
});

describe('a tail’s start', () => {
  it('stays within the BFF’s look-back and not in the future', () => {
    const earliest = nowNs(NOW - 59 * 60_000);
    expect(clampTailStart(undefined, NOW)).toBe(earliest);
    expect(clampTailStart(nowNs(NOW - 2 * 3600_000), NOW)).toBe(earliest);
    expect(clampTailStart(nowNs(NOW + 5000), NOW)).toBe(nowNs(NOW));
    expect(clampTailStart(nowNs(NOW - 1000), NOW)).toBe(nowNs(NOW - 1000));
  });
});
