import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { afterEach, describe, expect, it } from 'vitest';

import { DemoLogSource } from '../../src/sources/demo/logs/demo-log-source.ts';
import type { LokiTail, LokiTailFrame } from '../../src/sources/loki/loki-api.ts';

const START = Date.parse('2026-11-26T10:00:00Z');
const fleet = demoClusters(new Date(START));
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

/** A demo source on a clock the test moves, looking for new lines every 10 ms. */
function setup() {
  const clock = { now: START };
  const src = new DemoLogSource({ clusters: () => fleet, now: () => clock.now, tailIntervalMs: 10 });
  const frames: LokiTailFrame[] = [];
  const events: string[] = [];
  const handlers = {
    onOpen: () => events.push('open'),
    onFrame: (f: LokiTailFrame) => frames.push(f),
    onClose: (err?: Error) => events.push(err ? `close: ${err.message}` : 'close'),
  };
  return { clock, src, frames, events, handlers };
}
const until = async (cond: () => boolean, ms = 5000) => {
  for (const began = Date.now(); !cond() && Date.now() - began < ms;) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};
const lineTimes = (frames: LokiTailFrame[]) => frames.flatMap((f) => f.streams.flatMap((s) => s.values.map((v) => BigInt(v[0]))));

let open: LokiTail | undefined;
afterEach(() => open?.close());

describe('demo logs: live tail', () => {
  it('sends the history since start, then the lines written as time passes, only from matching streams', async () => {
    const { clock, src, frames, events, handlers } = setup();
    open = src.tail(
      { query: '{namespace="client-a-apps"} |= "level"', start: ns(START - 300_000), limit: 1000, delayForSeconds: 0 },
      undefined,
      handlers,
    );
    await until(() => events.includes('open'));
    const history = lineTimes(frames);
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((t) => t >= ns(START - 300_000) && t < ns(START))).toBe(true);
    const before = frames.length;
    clock.now += 120_000;
    await until(() => frames.length > before);
    const live = frames.slice(before);
    for (const f of live) {
      expect(f.dropped).toBe(0);
      for (const s of f.streams) {
        expect(s.stream.namespace).toBe('client-a-apps');
        for (const [t, line] of s.values) {
          expect(BigInt(t)).toBeGreaterThanOrEqual(ns(START));
          expect(BigInt(t)).toBeLessThan(ns(clock.now));
          expect(line).toContain('level');
        }
      }
    }
    // The live lines are exactly what a query over the same window returns.
    const data = await src.queryRange(
      { query: '{namespace="client-a-apps"} |= "level"', start: ns(START), end: ns(START + 120_000), limit: 5000, direction: 'forward' },
      undefined,
    );
    const queried = (data.result as unknown as { values: [string, string][] }[]).flatMap((s) => s.values.map((v) => BigInt(v[0])));
    expect(lineTimes(live).sort()).toEqual(queried.sort());
  });

  it('the fleet trickles: about a line a second or more across the fleet, spread over streams', async () => {
    const { src } = setup();
    const data = await src.queryRange(
      { query: '{cluster=~".+"}', start: ns(START - 60_000), end: ns(START), limit: 5000, direction: 'forward' },
      undefined,
    );
    const result = data.result as { stream: Record<string, string>; values: unknown[] }[];
    expect(result.reduce((n, s) => n + s.values.length, 0)).toBeGreaterThanOrEqual(60);
    expect(new Set(result.map((s) => s.stream.cluster)).size).toBeGreaterThan(5);
  });

  it('caps a frame at the limit, counting the dropped lines', async () => {
    const { clock, src, frames, events, handlers } = setup();
    open = src.tail({ query: '{cluster=~".+"}', start: ns(START), limit: 3, delayForSeconds: 0 }, undefined, handlers);
    await until(() => events.includes('open'));
    clock.now += 600_000;
    await until(() => frames.length > 0);
    expect(frames[0]!.streams.reduce((n, s) => n + s.values.length, 0)).toBe(3);
    expect(frames[0]!.dropped).toBeGreaterThan(0);
  });

  it('stays delay_for behind now', async () => {
    const { clock, src, frames, events, handlers } = setup();
    open = src.tail({ query: '{cluster=~".+"}', start: ns(START - 60_000), limit: 5000, delayForSeconds: 5 }, undefined, handlers);
    await until(() => events.includes('open'));
    clock.now += 60_000;
    await until(() => frames.length > 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(lineTimes(frames).every((t) => t < ns(clock.now - 5000))).toBe(true);
  });

  it('stops on close: onClose once, no frames after', async () => {
    const { clock, src, frames, events, handlers } = setup();
    const tail = src.tail({ query: '{cluster=~".+"}', start: ns(START), limit: 100, delayForSeconds: 0 }, undefined, handlers);
    await until(() => events.includes('open'));
    tail.close();
    tail.close();
    const count = frames.length;
    clock.now += 600_000;
    await new Promise((r) => setTimeout(r, 100));
    expect(frames.length).toBe(count);
    expect(events).toEqual(['open', 'close']);
  });

  it('refuses a metric or unsupported query by closing with an error, never opening', async () => {
    for (const query of ['count_over_time({cluster="prod-asia"}[1m])', '{cluster="prod-asia"} | unpack']) {
      const { src, events, handlers } = setup();
      src.tail({ query, start: ns(START), limit: 100, delayForSeconds: 0 }, undefined, handlers);
      await until(() => events.length > 0);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatch(/^close: /);
    }
  });
});
