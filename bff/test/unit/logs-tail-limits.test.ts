import { describe, expect, it } from 'vitest';

import { TailBudget, TailSlots, TooManyTails } from '../../src/routes/logs-tail-limits.ts';

describe('TailSlots', () => {
  it('refuses a session past its limit and gives slots back once each', () => {
    const slots = new TailSlots({ maxPerSession: 2, maxUpstreamPerProcess: 100 });
    const a = slots.acquire('s1', 1);
    slots.acquire('s1', 2);
    expect(() => slots.acquire('s1', 1)).toThrow(TooManyTails);
    // Another session is not affected.
    slots.acquire('s2', 1);
    expect(slots.upstreamOpen).toBe(4);
    a();
    a();
    expect(slots.upstreamOpen).toBe(3);
    expect(() => slots.acquire('s1', 1)).not.toThrow();
  });

  it('refuses past the process-wide count of upstream sockets', () => {
    const slots = new TailSlots({ maxPerSession: 10, maxUpstreamPerProcess: 3 });
    const release = slots.acquire('s1', 2);
    expect(() => slots.acquire('s2', 2)).toThrow(/this server runs as many live tails/);
    expect(slots.upstreamOpen).toBe(2);
    release();
    expect(() => slots.acquire('s2', 3)).not.toThrow();
  });
});

describe('TailBudget', () => {
  it('lets a burst through, then the sustained rate, by lines', () => {
    let now = 0;
    const budget = new TailBudget({ linesPerSecond: 10, burstLines: 5, bytesPerSecond: 1e9, burstBytes: 1e9 }, () => now);
    const sent = () => Array.from({ length: 20 }, () => budget.take(1)).filter(Boolean).length;
    expect(sent()).toBe(5);
    now += 500;
    expect(sent()).toBe(5);
    now += 10_000;
    // Refill never goes beyond the burst.
    expect(sent()).toBe(5);
  });

  it('limits bytes the same way; a line bigger than what is left is refused', () => {
    let now = 0;
    const budget = new TailBudget({ linesPerSecond: 1e6, burstLines: 1e6, bytesPerSecond: 100, burstBytes: 250 }, () => now);
    expect(budget.take(200)).toBe(true);
    expect(budget.take(100)).toBe(false);
    expect(budget.take(50)).toBe(true);
    now += 1000;
    expect(budget.take(100)).toBe(true);
    expect(budget.take(1)).toBe(false);
  });
});
