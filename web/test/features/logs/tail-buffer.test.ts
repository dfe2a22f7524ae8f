import { describe, expect, it } from 'vitest';

import type { LogEntry } from '../../../src/features/logs/log-entries.ts';
import { TAIL_CAP, TailBuffer, newestFirst, type LineSource } from '../../../src/features/logs/tail-buffer.ts';

let id = 0;
const entry = (line: string, arrivedAt?: number): LogEntry => ({
  id: ++id,
  ns: String(1_764_158_400_000_000_000 + id),
  ms: 1_764_158_400_000,
  line,
  labels: {},
  level: 'info',
  ...(arrivedAt !== undefined && { arrivedAt }),
});
const batch = (...lines: string[]) => lines.map((l) => entry(l));
const texts = (lines: LineSource) => Array.from({ length: lines.size }, (_, i) => lines.at(i).line);

describe('the live tail buffer', () => {
  it('shows lines newest first, new ones on top', () => {
    const b = new TailBuffer();
    b.reset(batch('a', 'b'));
    b.push(batch('c'));
    b.push(batch('d', 'e'));
    expect(texts(b.getSnapshot().lines)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(b.getSnapshot().added).toBe(5);
  });

  it('holds lines aside while paused, counts them, and shows them on resume marked as new', () => {
    const b = new TailBuffer();
    b.push(batch('a'));
    b.pause();
    b.push(batch('b', 'c'));
    b.push(batch('d'));
    expect(texts(b.getSnapshot().lines)).toEqual(['a']);
    expect(b.getSnapshot()).toMatchObject({ paused: true, pending: 3 });
    b.resume(42);
    const s = b.getSnapshot();
    expect(s).toMatchObject({ paused: false, pending: 0 });
    expect(texts(s.lines)).toEqual(['d', 'c', 'b', 'a']);
    expect(s.lines.at(0).arrivedAt).toBe(42);
    expect(s.lines.at(3).arrivedAt).toBeUndefined();
  });

  it('clears shown and waiting lines but stays paused', () => {
    const b = new TailBuffer();
    b.push(batch('a'));
    b.pause();
    b.push(batch('b'));
    b.clear();
    expect(b.getSnapshot()).toMatchObject({ paused: true, pending: 0, dropped: 0 });
    expect(b.getSnapshot().lines.size).toBe(0);
    b.push(batch('c'));
    b.resume();
    expect(texts(b.getSnapshot().lines)).toEqual(['c']);
  });

  it('keeps at most the cap, dropping the oldest, and counts what it dropped', () => {
    const b = new TailBuffer(3);
    b.push(batch('1', '2'));
    b.push(batch('3', '4', '5'));
    expect(texts(b.getSnapshot().lines)).toEqual(['5', '4', '3']);
    expect(b.getSnapshot().dropped).toBe(2);
    b.pause();
    b.push(batch('6', '7', '8', '9'));
    expect(b.getSnapshot()).toMatchObject({ pending: 3, dropped: 3 });
    b.resume();
    expect(texts(b.getSnapshot().lines)).toEqual(['9', '8', '7']);
  });

  it('holds 100,000 lines by default and keeps the newest through a long trickle', () => {
    const b = new TailBuffer();
    for (let i = 0; i < 120; i++) b.push(Array.from({ length: 1000 }, (_, j) => entry(String(i * 1000 + j))));
    const s = b.getSnapshot();
    expect(s.lines.size).toBe(TAIL_CAP);
    expect(s.lines.at(0).line).toBe('119999');
    expect(s.lines.at(TAIL_CAP - 1).line).toBe('20000');
    expect(s.dropped).toBe(20_000);
  });

  it('gives snapshots that later lines do not change, and a new snapshot per change', () => {
    const b = new TailBuffer();
    b.push(batch('a'));
    const before = b.getSnapshot();
    let calls = 0;
    const off = b.subscribe(() => calls++);
    b.push(batch('b'));
    off();
    b.push(batch('c'));
    expect(texts(before.lines)).toEqual(['a']);
    expect(b.getSnapshot()).not.toBe(before);
    expect(b.getSnapshot().version).toBeGreaterThan(before.version);
    expect(calls).toBe(1);
  });

  it('counts lines Loki reports dropped', () => {
    const b = new TailBuffer();
    b.countDropped(0);
    b.countDropped(7);
    expect(b.getSnapshot().dropped).toBe(7);
  });

  it('reads a query answer (oldest first) newest first without copying', () => {
    expect(texts(newestFirst(batch('old', 'mid', 'new')))).toEqual(['new', 'mid', 'old']);
  });
});
