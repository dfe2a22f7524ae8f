import { seededSeries, type GenerateOptions } from './openmetrics.ts';
import { remoteWrite, type PushSeries } from './remote-write.ts';

/**
 * Keeps the seeded history going: every step, the next point of every seeded series is
 * remote-written, continuing the same values (counters keep growing from where the seed
 * ended). Without it the seeded series end when the testbed started, and five minutes later
 * (Prometheus' lookback) every instant query — the fleet health table, readiness — is empty.
 * Families that tests feed themselves (`skip`) are left to them, so a live point never
 * overrides what a test just wrote.
 */
export function startLiveFeed(opts: {
  prometheusUrl: string;
  seed: GenerateOptions;
  skip?: readonly string[];
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}): { stop(): void } {
  const { start, step, points, families } = seededSeries(opts.seed);
  const skip = new Set(opts.skip ?? []);
  const fed = families.filter((f) => !skip.has(f.name));
  // Replay the seeded window once, so the counters' running totals are where the seed left them.
  for (let i = 0; i < points; i++) for (const f of fed) for (const s of f.series) s.value(i, start + i * step);
  let next = points;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const due: PushSeries[] = [];
    const now = Date.now() / 1000;
    const batch: number[] = [];
    while (start + next * step <= now) batch.push(next++);
    if (batch.length > 0) {
      for (const f of fed) {
        const name = f.type === 'counter' ? `${f.name}_total` : f.name;
        for (const s of f.series)
          due.push({
            name,
            labels: s.labels,
            samples: batch.map((i) => ({ value: s.value(i, start + i * step), timestampMs: (start + i * step) * 1000 })),
          });
      }
      const r = await remoteWrite(opts.prometheusUrl, due).catch((err: unknown) => ({ status: 0, text: (err as Error).message }));
      if (r.status >= 300 || r.status === 0)
        opts.log?.('live feed: Prometheus refused the samples', { status: r.status, text: r.text.slice(0, 300) });
    }
    if (!stopped) timer = setTimeout(() => void tick(), Math.max(1000, (start + next * step - Date.now() / 1000) * 1000 + 500));
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
