import { chromium } from 'playwright-core';

import { CHROMIUM } from '../../e2e/chromium.ts';
import { cookiesOf, type Person } from './rollouts-setup.ts';

export interface RepaintTarget {
  /** Rollout id (the page is /rollouts/<id>). */
  id: string;
  cluster: string;
  /** Writes the cluster's state on the hub, as the controller would. */
  flip(to: 'Updating' | 'Succeeded'): Promise<void>;
}

/**
 * Hub status change → the cluster's cell on the open rollout page shows the new state, in
 * Debian's Chromium against the BFF serving the built SPA. The page learns of the change
 * from its live stream, refetches the rollout and re-renders; the cell's `data-state`
 * (rendered in the same commit as its state text) is checked on every animation frame,
 * so a sample ends within one frame of the new cell being committed.
 */
export interface RepaintSamples {
  /** Flip started → the cell shows the new state. */
  total: number[];
  /** Of which: the PATCH on the hub, until it returned. */
  patch: number[];
  /** Of which, in the page: the refetch of the rollout (request start → response end). */
  fetch: number[];
  /** Of which, in the page: response end → the cell committed (parse, React render). */
  render: number[];
}

export async function repaintLatencies(base: string, person: Person, target: RepaintTarget, n: number): Promise<RepaintSamples> {
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies(cookiesOf(person.jar, base));
    const page = await context.newPage();
    await page.goto(`${base}/rollouts/${encodeURIComponent(target.id)}`);
    const cell = `[data-testid="cluster-cell"][data-cluster="${target.cluster}"]`;
    await page.waitForSelector(cell, { timeout: 30_000 });
    let state = (await page.getAttribute(cell, 'data-state')) ?? '';
    if (state !== 'Updating' && state !== 'Succeeded')
      throw new Error(`cell ${target.cluster} shows ${state}, not a state the bench flips`);
    const out: RepaintSamples = { total: [], patch: [], fetch: [], render: [] };
    // Two untimed flips first: the first re-render of a 1,000-cell page runs cold.
    for (let i = 0; i < n + 2; i++) {
      const to = state === 'Updating' ? 'Succeeded' : 'Updating';
      await page.evaluate(() => performance.clearResourceTimings());
      const shown = page.waitForFunction(
        ([sel, want]) => (document.querySelector(sel!)?.getAttribute('data-state') === want ? performance.now() : false),
        [cell, to],
        { polling: 'raf', timeout: 10_000 },
      );
      const t = performance.now();
      await target.flip(to);
      const patched = performance.now();
      const committedAt = (await (await shown).jsonValue()) as number;
      const total = performance.now() - t;
      state = to;
      if (i < 2) continue;
      const fetched = await page.evaluate(
        (path) =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes(path))
            .map((e) => [e.startTime, (e as PerformanceResourceTiming).responseEnd] as const)
            .at(-1),
        `/api/rollouts/${encodeURIComponent(target.id)}`,
      );
      if (!fetched) throw new Error('the page showed the change without refetching the rollout');
      out.total.push(total);
      out.patch.push(patched - t);
      out.fetch.push(fetched[1] - fetched[0]);
      out.render.push(committedAt - fetched[1]);
    }
    await context.close();
    return out;
  } finally {
    await browser.close();
  }
}
