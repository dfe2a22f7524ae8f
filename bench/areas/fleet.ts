import { DemoInventory } from '../../bff/src/sources/demo/demo-inventory.ts';
import type { InventorySnapshot } from '../../bff/src/sources/inventory.ts';
import { Browser, startDemoBff } from '../../bff/test/helpers/demo-client.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { globBenchmarks } from './globs.ts';
import { percentile, round } from '../lib/stats.ts';

/**
 * The naive way: no per-scope answer cache, so every request filters, groups and
 * serialises the whole fleet again. Same route, same HTTP path; only the snapshot
 * version changes on every read, which is what defeats the cache.
 */
class UncachedDemoInventory extends DemoInventory {
  #reads = 0;
  override snapshot(): InventorySnapshot {
    return { ...super.snapshot(), version: ++this.#reads };
  }
}

async function latencies(browser: Browser, requests: number): Promise<number[]> {
  for (let i = 0; i < 5; i++) await (await browser.fetch('/api/fleet')).arrayBuffer(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const res = await browser.fetch('/api/fleet');
    await res.arrayBuffer();
    samples.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`GET /api/fleet answered ${res.status}`);
  }
  return samples;
}

async function measure(synthetic: number, naive: boolean, user: string, requests: number): Promise<number[]> {
  const inventory = naive
    ? new UncachedDemoInventory({ syntheticClusters: synthetic })
    : new DemoInventory({ syntheticClusters: synthetic });
  const bff = await startDemoBff({}, { inventory });
  try {
    const browser = new Browser(bff.url);
    await browser.signIn(user);
    return await latencies(browser, requests);
  } finally {
    await bff.close();
  }
}

// Goals for p95 (ms) by fleet size, from the fleet-tree issue.
const GOALS: Record<number, number> = { 1020: 50, 5020: 200 };

export async function fleetBenchmarks(): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [...globBenchmarks()];
  for (const synthetic of [0, 1000, 5000]) {
    const total = 20 + synthetic;
    const requests = total > 2000 ? 60 : 200;
    for (const [who, user] of [
      ['platform admin', 'platform-admin@demo'],
      ['tenant admin', 'client-a-admin@demo'],
    ] as const) {
      const ours = await measure(synthetic, false, user, requests);
      const naive = await measure(synthetic, true, user, requests);
      for (const p of [50, 95]) {
        out.push(
          record('fleet', `GET /api/fleet p${p}, ${who}, ${total} clusters (demo)`, round(percentile(ours, p)), 'ms', {
            baseline: round(percentile(naive, p)),
            ...(p === 95 && GOALS[total] !== undefined && { goal: GOALS[total] }),
          }),
        );
      }
    }
  }
  return out;
}
