import { fileURLToPath } from 'node:url';

import { chromium, type Page } from 'playwright-core';

import { healthApiPaths, type HealthRange } from '@fleetdeck/shared';

import { startDemoBff } from '../../bff/test/helpers/demo-client.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../../bff/test/helpers/forge-session.ts';
import { DemoInventory } from '../../bff/src/sources/demo/demo-inventory.ts';
import type { HealthConfig } from '../../bff/src/sources/health/panel-config.ts';
import { CHROMIUM } from '../../e2e/chromium.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

const STATIC_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
const GOAL_MS = 300;
/**
 * Untimed and timed range changes per BFF. Cache off: every change costs Prometheus the whole
 * set (about 200 ms at 1,000 clusters with the recording rules), two untimed to warm up. Cache
 * on: one untimed round of the five presets fills it, then every change is a request the cache
 * answers. Twenty timed each: four rounds of five, so each p95 counts four first changes on a
 * fresh page, and is not one sample.
 */
const RUNS = { off: { untimed: 2, timed: 20 }, on: { untimed: 5, timed: 20 } } as const;
/** The presets clicked in turn: each differs from the one before, so every click asks for a new window. */
const CYCLE: HealthRange[] = ['6h', '1h', '15m', '7d', '24h'];
const PANELS = 9;

interface Change {
  /** Click → every panel shows the new window, and the frame after is painted. */
  total: number;
  /** Of which: the page's request for the panel set (start → response end), if it made one. */
  fetch: number | undefined;
}

/**
 * One range change on the open Health page, measured in the page: click the preset, then on
 * every animation frame check that the page and each of the nine panels carry the same new
 * `data-window` (a panel sets it in the commit that draws its chart with that window's data),
 * then wait for that frame to be painted.
 */
async function change(page: Page, range: HealthRange): Promise<Change> {
  const [total, fetch] = await page.evaluate(
    async ({ range, panels, path }) => {
      performance.clearResourceTimings();
      const pageEl = () => document.querySelector('[data-testid="health-page"]');
      const before = pageEl()?.getAttribute('data-window');
      const button = Array.from(document.querySelectorAll('[aria-label="Time range"] button')).find((b) => b.textContent === range);
      if (!(button instanceof HTMLButtonElement)) throw new Error(`no ${range} button`);
      const t = performance.now();
      button.click();
      const drawn = () => {
        const now = pageEl()?.getAttribute('data-window');
        if (!now || now === before) return false;
        const sections = document.querySelectorAll('section[data-testid^="panel-"]');
        return sections.length === panels && Array.from(sections).every((s) => s.getAttribute('data-window') === now);
      };
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (drawn()) break;
        if (performance.now() - t > 120_000) throw new Error(`${range}: the panels did not redraw within 2 min`);
      }
      // Painted: a task queued from the next animation frame runs after that frame.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const total = performance.now() - t;
      const request = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes(path))
        .map((e) => (e as PerformanceResourceTiming).responseEnd - e.startTime)
        .at(-1);
      return [total, request ?? null] as const;
    },
    { range, panels: PANELS, path: healthApiPaths.fleetHealthPanels },
  );
  return { total, fetch: fetch ?? undefined };
}

/**
 * The Health page in Debian's Chromium against the real BFF serving the built SPA, in real
 * mode on the demo inventory's 1,000 clusters and the bench's seeded Prometheus (recording
 * rules on): a session cookie forged as the Platform Admin (no identity provider needed).
 * Twice: with the BFF's response cache off (every change costs Prometheus its queries), and
 * on (a range seen before within the TTL is answered from memory). Each round of five changes
 * starts on a freshly loaded page, so every change is a request, never the page's own cache.
 */
export async function healthBrowserBenchmarks(
  prometheusUrl: string,
  config: HealthConfig,
  syntheticClusters: number,
  log: (line: string) => void,
): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  const browser = await chromium.launch(CHROMIUM);
  try {
    for (const [key, mode, cacheSeconds] of [
      ['off', 'response cache off', 0],
      ['on', 'response cache on', 300],
    ] as const) {
      const runs = RUNS[key];
      const bff = await startDemoBff(
        {
          mode: 'real',
          session: { secret: TEST_SESSION_SECRET },
          // Sessions are forged below: the provider is never asked.
          auth: {
            oidc: {
              issuerUrl: 'http://127.0.0.1:9/',
              clientId: 'fleetdeck',
              redirectUrl: 'http://127.0.0.1/api/auth/callback',
              allowInsecureHttp: true,
            },
          },
          prometheus: { url: prometheusUrl, timeoutSeconds: 60, compression: false },
          health: {
            rateWindow: config.rateWindow,
            lastSyncResolution: config.lastSyncResolution,
            minStepSeconds: config.minStepSeconds,
            recordingRules: true,
            cacheSeconds,
          },
          web: { staticDir: STATIC_DIR },
        },
        { inventory: new DemoInventory({ syntheticClusters }) },
      );
      try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const [name, value] = (await forgeSessionCookie({ user: 'platform-admin@demo', groups: ['fleet-platform-admins'] })).split(
          /=(.*)/s,
        );
        await context.addCookies([{ name: name!, value: value!, url: bff.url }]);
        const page = await context.newPage();
        const samples: Change[] = [];
        for (let i = 0; samples.length < runs.timed; i++) {
          if (i % CYCLE.length === 0) {
            // A fresh page on 24 h: its query cache is empty, so each change below is a request.
            await page.goto(`${bff.url}/health?range=24h&refresh=off`);
            await page.waitForFunction(
              (n) => document.querySelectorAll('section[data-testid^="panel-"][data-state="ok"]').length === n,
              PANELS,
              { timeout: 180_000 },
            );
          }
          const c = await change(page, CYCLE[i % CYCLE.length]!);
          if (i >= runs.untimed) {
            samples.push(c);
            // Each change said, for reading a p95 of 20: which range, right after a page load or not.
            log(
              `  ${mode}: → ${CYCLE[i % CYCLE.length]}${i % CYCLE.length === 0 ? ' (first change on a fresh page)' : ''}: ${round(c.total, 1)} ms, request ${c.fetch === undefined ? '—' : round(c.fetch, 1)} ms`,
            );
          }
        }
        await context.close();
        const totals = samples.map((s) => s.total);
        const fetches = samples.flatMap((s) => (s.fetch === undefined ? [] : [s.fetch]));
        const renders = samples.flatMap((s) => (s.fetch === undefined ? [] : [s.total - s.fetch]));
        log(
          `Health page, range change → all ${PANELS} charts redrawn (${mode}): p50 ${round(percentile(totals, 50), 1)} ms, p95 ${round(percentile(totals, 95), 1)} ms; ` +
            `of which the request p50 ${round(percentile(fetches, 50), 1)} ms, the rest (parse, render, paint) p50 ${round(percentile(renders, 50), 1)} ms, p95 ${round(percentile(renders, 95), 1)} ms (${fetches.length}/${samples.length} changes fetched)`,
        );
        out.push(
          record(
            'health',
            `Health page range change → all charts redrawn p95, 1,000 clusters, ${mode}`,
            round(percentile(totals, 95), 1),
            'ms',
            {
              goal: GOAL_MS,
            },
          ),
          record(
            'health',
            `Health page range change → all charts redrawn p50, 1,000 clusters, ${mode}`,
            round(percentile(totals, 50), 1),
            'ms',
          ),
          record(
            'health',
            `Health page range change, browser part (response → charts painted) p95, ${mode}`,
            round(percentile(renders, 95), 1),
            'ms',
          ),
        );
      } finally {
        await bff.close();
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
