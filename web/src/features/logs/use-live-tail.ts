import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import type { Problem } from '@fleetdeck/shared';

import { compareNs, entriesOf, newestNs, type LogEntry } from './log-entries.ts';
import { TailBuffer, type TailSnapshot } from './tail-buffer.ts';
import { TailConnection, diagnoseTail, type TailState } from './tail-connection.ts';

/** Tail events arriving within this window are shown in one render. */
const BATCH_MS = 100;

/** Where a tail seeded with `seed` starts: just after its newest line (the connection keeps it within the BFF's limits). */
export function tailStart(seed: readonly LogEntry[]): string | undefined {
  const newest = newestNs(seed);
  return newest === undefined ? undefined : (BigInt(newest) + 1n).toString();
}

export interface LiveTail {
  snapshot: TailSnapshot;
  state: TailState;
  problem: Problem | undefined;
  pause: () => void;
  resume: () => void;
  clear: () => void;
}

/**
 * The live tail of `query` while `enabled`: its lines in a TailBuffer (seeded with the
 * lines the page showed when it started, so the list continues rather than jumps), the
 * connection's state and its last problem. Bursts are merged into one render.
 */
export function useLiveTail(query: string | undefined, enabled: boolean, seed: readonly LogEntry[]): LiveTail {
  const [buffer] = useState(() => new TailBuffer());
  const snapshot = useSyncExternalStore(buffer.subscribe, buffer.getSnapshot);
  const [status, setStatus] = useState<{ state: TailState; problem: Problem | undefined }>({ state: 'stopped', problem: undefined });
  // The seed is read when a tail starts, not followed: a refetch must not restart the tail.
  const seedRef = useRef(seed);
  useEffect(() => {
    seedRef.current = seed;
  }, [seed]);

  useEffect(() => {
    if (!enabled || query === undefined) return;
    const seeded = seedRef.current;
    buffer.reset(seeded);
    let batch: LogEntry[] = [];
    let dropped = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const lines = batch.sort((a, b) => compareNs(a.ns, b.ns));
      batch = [];
      buffer.push(lines);
      buffer.countDropped(dropped);
      dropped = 0;
    };
    const connection = new TailConnection(
      query,
      tailStart(seeded),
      {
        onLines: (l) => {
          for (const e of entriesOf(l.streams, Date.now())) batch.push(e);
          dropped += l.dropped;
          timer ??= setTimeout(flush, BATCH_MS);
        },
        onState: (state, problem) => setStatus((prev) => ({ state, problem: problem ?? (state === 'live' ? undefined : prev.problem) })),
      },
      { createEventSource: (url) => new EventSource(url, { withCredentials: true }), diagnose: diagnoseTail },
    );
    return () => {
      clearTimeout(timer);
      connection.stop();
    };
  }, [enabled, query, buffer]);

  return {
    snapshot,
    state: enabled ? status.state : 'stopped',
    problem: enabled ? status.problem : undefined,
    pause: useCallback(() => buffer.pause(), [buffer]),
    resume: useCallback(() => buffer.resume(), [buffer]),
    clear: useCallback(() => buffer.clear(), [buffer]),
  };
}

/** A clock that ticks every second while `active`: rows compare line arrival times to it to drop their "new" mark. */
export function useTick(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}
