import { chromium, type Browser, type Page } from 'playwright-core';

import { CHROMIUM } from '../../e2e/chromium.ts';
import { benchStream, ns, push, token, type PushStream } from './logs-push.ts';
import { cookiesOf, type Person } from './rollouts-setup.ts';
import type { PushTarget } from './logs-tail.ts';

/** Thrown when the page does not offer what a figure needs (it is reported as "not measured"). */
export class NotMeasured extends Error {}

const LIST = '[data-testid="log-lines"]';
const LINE = '[data-testid="log-line"]';

/** The Logs page for a query with live tail on (`/logs?query=…&live=1`), signed in as `person`. */
export async function openLogsPage(browser: Browser, base: string, person: Person, query: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies(cookiesOf(person.jar, base));
  const page = await context.newPage();
  await page.goto(`${base}/logs?${new URLSearchParams({ query, live: '1' })}`);
  try {
    await page.waitForSelector(LIST, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Live tail' }).waitFor({ timeout: 10_000 });
  } catch {
    throw new NotMeasured('the Logs page has no log list (data-testid="log-lines") or "Live tail" button');
  }
  if ((await page.getByRole('button', { name: 'Live tail' }).getAttribute('aria-pressed')) !== 'true')
    throw new NotMeasured('the Logs page did not start live tail from ?live=1');
  // Its tail is open (the BFF sent `ready`): from here a pushed line can only arrive live.
  try {
    await page.waitForSelector('[data-testid="tail-state"][data-state="live"]', { timeout: 30_000 });
  } catch {
    throw new NotMeasured(
      `the page's live tail did not connect: ${await page
        .getByTestId('tail-state')
        .textContent()
        .catch(() => '(no tail state)')}`,
    );
  }
  return page;
}

/** Resolves (in the page) when a rendered log line contains `tok`; checked on every animation frame. */
function lineShown(page: Page, tok: string, timeout = 15_000) {
  return page.waitForFunction(
    ([sel, t]) => Array.from(document.querySelectorAll(sel!)).some((el) => el.textContent?.includes(t!)),
    [LINE, tok],
    {
      polling: 'raf',
      timeout,
    },
  );
}

/**
 * Push → the line is visible in the open Logs page's list, in Debian's Chromium against
 * the BFF serving the built SPA: the page's tail (EventSource on /api/logs/tail) receives
 * it and renders it. Two untimed lines first (the tail opening, the first render).
 */
export async function visibleLatencies(base: string, person: Person, target: PushTarget, n: number): Promise<number[]> {
  const browser = await chromium.launch(CHROMIUM);
  try {
    const page = await openLogsPage(browser, base, person, `{app="${target.app}"}`);
    const samples: number[] = [];
    for (let i = 0; i < n + 2; i++) {
      const tok = token('visible');
      const shown = lineShown(page, tok);
      const t = performance.now();
      await push(target.lokiUrl, [
        {
          stream: benchStream(target.app, target.cluster, target.namespace),
          values: [[ns(Date.now()), `level=info msg="browser probe" token=${tok}`]],
        },
      ]);
      await shown;
      if (i >= 2) samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 150));
    }
    return samples;
  } finally {
    await browser.close();
  }
}

export interface ScrollRun {
  wheelWork: number[];
  dragWork: number[];
  intervals: number[];
  floorWheel: number[];
  floorDrag: number[];
}

export interface ScrollFigures {
  /** Lines the list holds (as its accessible name says). */
  lines: number;
  /** Lines the page reports dropped (the BFF's rate cap, Loki's slow-consumer drops). */
  dropped: number;
  /**
   * The scrolls with the testbed's other servers paused (see bench/lib/paused.ts): per
   * frame, main-thread work (scroll handling, React render, rAF, style/layout/paint), ms;
   * rAF to rAF intervals (about 16.7 ms at 60 Hz when nothing is dropped); and the same
   * scrolls over an empty scroller of the same height, in the same browser right after.
   */
  quiet: ScrollRun;
  /** The same, measured right after with every testbed server running. */
  busy: ScrollRun;
  /** Time to receive all the lines (push start → the count the page shows stopped growing). */
  loadMs: number;
}

/**
 * 100,000 lines in the list: pushed to the stand-in in batches while the page tails them,
 * then the list is scrolled programmatically, one step per animation frame — a fast wheel
 * (240 px a frame from the top) and a scrollbar drag (a jump to a new place each frame).
 * A frame's work is timed from its first event (the scroll event, or the rAF callback)
 * to a message posted from the rAF callback, which runs after that frame's rendering.
 * The scrolls run twice on the same page: inside `paused` (the testbed's other servers
 * stopped), then with everything running.
 */
export async function scrollFrames(
  base: string,
  person: Person,
  target: PushTarget,
  total: number,
  paused: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<ScrollFigures> {
  const browser = await chromium.launch(CHROMIUM);
  try {
    const page = await openLogsPage(browser, base, person, `{app="${target.app}"}`);
    // The BFF relays at most 500 lines a second per tail (burst 2,000) and counts the rest
    // as dropped: the lines go in at 450 a second, as a busy namespace would log them.
    const batch = 225;
    const pods = 10;
    const t0 = performance.now();
    const now = Date.now() - total;
    for (let b = 0; b < total / batch; b++) {
      const streams: PushStream[] = Array.from({ length: pods }, (_, p) => ({
        stream: benchStream(target.app, target.cluster, target.namespace, `scroll-${p}`),
        values: [],
      }));
      for (let i = 0; i < batch; i++) {
        const n = b * batch + i;
        streams[n % pods]!.values.push([
          ns(now + n),
          `level=${['info', 'warn', 'error', 'debug'][n % 4]} msg="scroll line ${n}" path=/api/orders/${n} latency=${n % 997}ms`,
        ]);
      }
      const due = t0 + ((b + 1) * batch * 1000) / 450;
      await push(target.lokiUrl, streams);
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
    // Every line is in the list once the count the page shows stops growing at (nearly) all
    // of them: the BFF's rate cap may have dropped a few (the page counts them too).
    const status = page.getByTestId('tail-state');
    const count = async () => {
      const text = (await status.textContent()) ?? '';
      const num = (re: RegExp) => Number(re.exec(text)?.[1]?.replaceAll(',', '') ?? 0);
      return { lines: num(/([\d,]+) lines$/), dropped: num(/([\d,]+) lines dropped/), text };
    };
    let seen = await count();
    let settledAt = performance.now();
    for (const deadline = performance.now() + 120_000; ;) {
      await page.waitForTimeout(250);
      const now = await count();
      if (now.lines !== seen.lines || now.dropped !== seen.dropped) settledAt = performance.now();
      seen = now;
      if (seen.lines + seen.dropped >= total && performance.now() - settledAt > 2000) break;
      if (performance.now() > deadline)
        throw new NotMeasured(`the page did not receive the ${total} tailed lines within 2 minutes of the push (${seen.text})`);
    }
    const dropped = seen.dropped;
    const loadMs = settledAt - t0;
    // Let the list settle (virtualiser measuring, the last render) before measuring frames.
    await page.waitForTimeout(1000);
    // BENCH_LOGS_TRACE=<file>: a Chromium trace of the quiet scrolls, to read frame by frame where the time goes.
    const trace = process.env.BENCH_LOGS_TRACE;
    const run = async (traced: boolean): Promise<ScrollRun & { lines: number }> => {
      if (traced && trace)
        await browser.startTracing(page, {
          path: trace,
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute', 'v8'],
        });
      const figures = await page.evaluate(measureScroll, [LIST, LINE] as const);
      if (traced && trace) await browser.stopTracing();
      // The machine's floor right after: the same scroll in the same browser over an
      // empty scroller of the same height (no rows to render), so a starved machine shows as such.
      const blank = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await blank.setContent(
        `<div data-testid="log-lines" style="height:60vh;overflow:auto"><div role="list" aria-label="Log lines, newest first: ${figures.lines}" style="height:${figures.lines * 22}px"><div data-testid="log-line">-</div></div></div>`,
      );
      const floor = await blank.evaluate(measureScroll, [LIST, LINE] as const);
      await blank.close();
      return { ...figures, floorWheel: floor.wheelWork, floorDrag: floor.dragWork };
    };
    // Quiet first, so the figure with the goal is not the one that had a warm-up run before it.
    const quiet = await paused(() => run(true));
    const busy = await run(false);
    return { lines: quiet.lines, loadMs, dropped, quiet, busy };
  } finally {
    await browser.close();
  }
}

/**
 * Runs in the page: the list's line count, then a fast wheel (240 px a frame from the top)
 * and a scrollbar drag (a jump to a new place each frame), one step per animation frame.
 * A frame's work is timed from its first event (the scroll event, or the rAF callback) to
 * a message posted from the rAF callback, which runs after that frame's rendering.
 */
async function measureScroll([listSel, lineSel]: readonly [string, string]) {
  const list = document.querySelector<HTMLElement>(listSel)!;
  // The scroll container is the list or its nearest scrollable ancestor.
  let scroller: HTMLElement | null = list;
  while (scroller && scroller.scrollHeight <= scroller.clientHeight + 1) scroller = scroller.parentElement;
  if (!scroller) throw new Error('no scrollable log list');
  // The list names its line count ("Log lines, newest first: 100,000").
  const label = list.querySelector('[role="list"]')?.getAttribute('aria-label') ?? '';
  const lines = Number(/([\d,]+)$/.exec(label)?.[1]?.replaceAll(',', '') ?? NaN);
  if (!document.querySelector(lineSel)) throw new Error('no rendered log line');
  const intervals: number[] = [];
  let frameStart: number | undefined;
  addEventListener('scroll', () => (frameStart ??= performance.now()), { capture: true });
  const channel = new MessageChannel();
  const run = (frames: number, next: (i: number) => number) =>
    new Promise<number[]>((resolve) => {
      const work: number[] = [];
      let i = 0;
      let prev: number | undefined;
      // Each frame carries its own start in its message: on a starved machine a frame's
      // message may run after the next frame began, and must not take that one's start.
      // A negative start ends the run: messages arrive in order, so every frame's is in by then.
      channel.port1.onmessage = (e: MessageEvent<number>) => (e.data < 0 ? resolve(work.slice(2)) : work.push(performance.now() - e.data));
      const tick = (at: number) => {
        if (prev !== undefined) intervals.push(at - prev);
        prev = at;
        const start = frameStart ?? performance.now();
        frameStart = undefined;
        if (i++ >= frames) return channel.port2.postMessage(-1);
        scroller.scrollTop = next(i);
        channel.port2.postMessage(start);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  const max = scroller.scrollHeight - scroller.clientHeight;
  scroller.scrollTop = 0;
  const wheelWork = await run(480, (i) => Math.min(max, i * 240));
  // Scrollbar drag: golden-ratio jumps, so every frame lands on rows not rendered before.
  const dragWork = await run(240, (i) => Math.floor(((i * 0.618034) % 1) * max));
  return { lines, wheelWork, dragWork, intervals };
}
