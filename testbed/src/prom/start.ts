import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

import { versionOf } from '../binaries.ts';
import { freePort, spawnService, waitUntil } from '../proc/service.ts';
import { generateOpenMetrics, type MetricsCluster } from './openmetrics.ts';

export interface RunningPrometheus {
  url: string;
  pid: number;
  version: string;
  close(): Promise<void>;
}

/**
 * Debian's Prometheus on loopback with 24 h of seeded history: the OpenMetrics file is
 * turned into TSDB blocks by promtool before the server starts, so range queries have
 * real data at once. Remote write stays on for live samples during tests.
 */
export async function startPrometheus(opts: {
  runDir: string;
  clusters: readonly MetricsCluster[];
  now?: Date;
  port?: number;
}): Promise<RunningPrometheus> {
  const dir = join(opts.runDir, 'prometheus');
  const dataDir = join(dir, 'data');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const seedFile = join(dir, 'seed.om');
  const out = createWriteStream(seedFile);
  for (const chunk of generateOpenMetrics({ clusters: opts.clusters, end: opts.now ?? new Date() })) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
  const imported = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', seedFile, dataDir], {
    encoding: 'utf8',
  });
  if (imported.status !== 0) throw new Error(`promtool could not import the seeded history: ${imported.stderr || imported.error?.message}`);
  rmSync(seedFile);

  const configFile = join(dir, 'prometheus.yml');
  // No scrape targets: the history is seeded, live samples arrive by remote write.
  writeFileSync(configFile, 'global:\n  scrape_interval: 1m\n  external_labels: {}\nscrape_configs: []\n');
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService(
    'prometheus',
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=10y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { logFile: join(dir, 'prometheus.log') },
  );
  await waitUntil('prometheus', async () => (await fetch(`${url}/-/ready`)).ok, { timeoutMs: 30_000, service });
  return { url, pid: service.pid, version: versionOf('prometheus'), close: () => service.stop() };
}
