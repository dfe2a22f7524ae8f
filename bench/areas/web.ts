import { readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { demoLoginUrl } from '@fleetdeck/shared';

import { startDemoBff } from '../../bff/test/helpers/demo-client.ts';
import { CHROMIUM } from '../../e2e/chromium.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

const STATIC_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Timed keystrokes per figure: with 60, p95 is the fourth-worst sample rather than the second. */
const SAMPLES = 60;

/**
 * Keystroke timings are wall-clock times in a browser sharing the machine's cores, so a
 * busy machine inflates them: the figure says how busy it was (above 1, processes waited
 * for a core) so a reader can tell a slow page from a loaded machine.
 */
function machineLoad(): number {
  return round(loadavg()[0]! / availableParallelism(), 2);
}

/** One chunk of Vite's build manifest (web/dist/.vite/manifest.json, `build.manifest`). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
}

/**
 * The JavaScript a first visit loads (the entry chunk and every chunk it imports
 * statically), gzipped as the server would send it, and for each lazily loaded page
 * what it adds on top of that. Read from the build manifest of web/dist.
 */
export function chunkSizes(staticDir = STATIC_DIR): BenchRecord[] {
  const manifest = JSON.parse(readFileSync(`${staticDir}/.vite/manifest.json`, 'utf8')) as Record<string, ManifestChunk>;
  const gzipKb = (files: Iterable<string>) => {
    let bytes = 0;
    for (const file of files) bytes += gzipSync(readFileSync(`${staticDir}/${file}`)).length;
    return round(bytes / 1000, 1);
  };
  const closure = (key: string, into = new Set<string>()) => {
    if (!into.has(key)) {
      into.add(key);
      for (const k of manifest[key]?.imports ?? []) closure(k, into);
    }
    return into;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('the web build manifest has no entry: build web first (pnpm --filter @fleetdeck/web build)');
  const initial = closure(entry);
  const files = (keys: Iterable<string>) => [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
  // What the BFF really sends: the build's own .br beside each file (web/build/precompress.ts).
  const brotliKb = (names: Iterable<string>) => {
    let bytes = 0;
    for (const file of names) bytes += statSync(`${staticDir}/${file}.br`).size;
    return round(bytes / 1000, 1);
  };
  const out = [
    record('web', 'initial JS (entry + its static imports), gzip', gzipKb(files(initial)), 'kB', { goal: 120 }),
    record('web', 'initial JS as served (brotli, precompressed at build)', brotliKb(files(initial)), 'kB'),
  ];
  for (const [key, chunk] of Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b))) {
    if (!chunk.isDynamicEntry) continue;
    const added = [...closure(key)].filter((k) => !initial.has(k));
    out.push(record('web', `lazy chunk ${chunk.src ?? key} (beyond the initial JS), gzip`, gzipKb(files(added)), 'kB'));
  }
  return out;
}

/**
 * In Debian's Chromium, against the BFF serving the built SPA on a demo fleet of
 * 1,000 and 5,000 clusters: navigation until the tree shows every cluster, and a
 * selector keystroke until the table has repainted (client-side, with the shared
 * parser) beside the naive way (ask the BFF to filter: one round trip per keystroke,
 * before any rendering).
 */
export async function webBenchmarks(): Promise<BenchRecord[]> {
  const out: BenchRecord[] = chunkSizes();
  const browser = await chromium.launch(CHROMIUM);
  try {
    for (const total of [1000, 5000]) {
      const bff = await startDemoBff({ web: { staticDir: STATIC_DIR }, demo: { syntheticClusters: total - 20, heartbeatSeconds: 0 } });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(`${bff.url}${demoLoginUrl('platform-admin@demo')}`);
        await page.waitForSelector('[data-testid="cluster-row"]');
        const navigations: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = Date.now();
          await page.goto(`${bff.url}/fleet?r=${i}`);
          await page.getByText(`${total} of ${total} clusters`).waitFor();
          await page.waitForSelector('[data-testid="cluster-row"]');
          navigations.push(Date.now() - t);
        }
        out.push(record('web', `navigation → tree shows ${total} clusters, p50`, percentile(navigations, 50), 'ms'));

        // [until the next frame is painted, until React has rendered] after one input event.
        const measure = (value: string) =>
          page.evaluate(async (v) => {
            const input = document.getElementById('selector') as HTMLInputElement;
            const descriptor = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!;
            const t = performance.now();
            // The native setter, so React sees a real input event with a new value.
            // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to the input element right here
            Reflect.apply(descriptor.set!, input, [v]);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            // React renders a controlled input's change before dispatchEvent returns.
            const rendered = performance.now() - t;
            // The frame after it is painted once a task queued from the next animation frame runs.
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            return [performance.now() - t, rendered] as const;
          }, value);
        const naive = (value: string) =>
          page.evaluate(async (v) => {
            const t = performance.now();
            const res = await fetch(`/api/fleet?selector=${encodeURIComponent(v)}`);
            await res.json();
            return performance.now() - t;
          }, value);
        const values = ['env=production', 'env=staging', 'region=us-east', 'tier in (edge,canary)', 'client-a/*', ''];
        // One untimed pass first: the first use of each selector form runs cold (JIT, first
        // render of its rows), which no later keystroke pays again.
        for (const v of values) await measure(v);
        const ours: number[] = [];
        const rendered: number[] = [];
        const server: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const [painted, render] = await measure(values[i % values.length]!);
          ours.push(painted);
          rendered.push(render);
        }
        const load = machineLoad();
        for (let i = 0; i < SAMPLES; i++) server.push(await naive(values[i % values.length]!));
        out.push(record('web', `machine load during the ${total}-cluster keystrokes (1-min load average per core)`, load, '×'));
        // The naive figure is the BFF round trip alone; rendering would come on top of it.
        out.push(
          record(
            'web',
            `selector keystroke → repaint p50, ${total} clusters (naive: server round trip)`,
            round(percentile(ours, 50), 1),
            'ms',
            { baseline: round(percentile(server, 50), 1) },
          ),
        );
        out.push(
          record(
            'web',
            `selector keystroke → repaint p95, ${total} clusters (naive: server round trip)`,
            round(percentile(ours, 95), 1),
            'ms',
            { baseline: round(percentile(server, 95), 1), goal: 50 },
          ),
        );
        // The share of the figure above that is React's render (the rest is waiting for the
        // frame, style, layout and paint).
        out.push(record('web', `selector keystroke → React render done p95, ${total} clusters`, round(percentile(rendered, 95), 1), 'ms'));
        await page.close();
      } finally {
        await bff.close();
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
