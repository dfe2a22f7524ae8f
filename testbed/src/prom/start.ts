import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

import { parsePromDuration } from '@fleetdeck/shared';
import { parse } from 'yaml';

import { versionOf } from '../binaries.ts';
import { freePort, spawnService, waitUntil } from '../proc/service.ts';
import { backfillRules } from './backfill.ts';
import { startLiveFeed } from './live-feed.ts';
import { generateOpenMetrics, type MetricsCluster } from './openmetrics.ts';

/** Real kube-apiservers to scrape (`/metrics`), each as the `cluster` it stands for. */
export interface ApiServerTargets {
  servers: readonly { name: string; url: string }[];
  /** A client certificate that may read `/metrics` (group system:monitoring), and the CA of the servers. */
  tls: { caFile: string; certFile: string; keyFile: string };
  /** The scrape job's name, as the health panels expect it. */
  job?: string;
  intervalSeconds?: number;
  /** Metric names kept (RE2, anchored); default: the failed-authentication panel's. */
  keep?: string;
}

/**
 * One static target per API server, its `cluster` label set on the target (as Thanos' external
 * label would on a per-cluster Prometheus), so the API-server panels run on real series too.
 */
export function prometheusConfig(apiservers?: ApiServerTargets, ruleFiles: readonly string[] = []): string {
  const scrapeConfigs = apiservers
    ? [
        {
          job_name: apiservers.job ?? 'kubernetes-apiservers',
          scheme: 'https',
          scrape_interval: `${apiservers.intervalSeconds ?? 5}s`,
          metrics_path: '/metrics',
          tls_config: { ca_file: apiservers.tls.caFile, cert_file: apiservers.tls.certFile, key_file: apiservers.tls.keyFile },
          static_configs: apiservers.servers.map((s) => ({ targets: [new URL(s.url).host], labels: { cluster: s.name } })),
          // Only what the panels read (and `up`, which Prometheus writes itself): the servers' thousands
          // of other series would swell every `{__name__=~".+"}` answer of the PromQL tests.
          metric_relabel_configs: [{ source_labels: ['__name__'], regex: apiservers.keep ?? 'authentication_attempts', action: 'keep' }],
        },
      ]
    : [];
  // JSON is YAML: no hand-written quoting of paths or names.
  const config = { global: { scrape_interval: '1m', external_labels: {} }, rule_files: ruleFiles, scrape_configs: scrapeConfigs };
  return `${JSON.stringify(config, null, 2)}\n`;
}

interface RuleFile {
  groups: { name: string; interval?: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}

/**
 * The rules file as backfill passes: each pass the rules whose recorded inputs come from earlier
 * passes (a rule reads another when its expression names the other's record), groups and their
 * order kept. A cycle, or a rule reading one that never comes, is an error.
 */
export function backfillPasses(file: RuleFile): RuleFile[] {
  const records = new Set(file.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
  const nameChar = /[a-zA-Z0-9_:]/;
  const reads = (expr: string, name: string) => {
    for (let at = expr.indexOf(name); at >= 0; at = expr.indexOf(name, at + 1)) {
      const before = expr[at - 1];
      const after = expr[at + name.length];
      if ((before === undefined || !nameChar.test(before)) && (after === undefined || !nameChar.test(after))) return true;
    }
    return false;
  };
  const done = new Set<string>();
  const passes: RuleFile[] = [];
  let left = file.groups.reduce((n, g) => n + g.rules.length, 0);
  while (left > 0) {
    const ready = (r: RuleFile['groups'][number]['rules'][number]) =>
      !(r.record && done.has(r.record)) && [...records].every((name) => name === r.record || done.has(name) || !reads(r.expr, name));
    const groups = file.groups.map((g) => ({ ...g, rules: g.rules.filter(ready) })).filter((g) => g.rules.length > 0);
    const count = groups.reduce((n, g) => n + g.rules.length, 0);
    if (count === 0) throw new Error('the recording rules read each other in a cycle, or read a rule that is never backfilled');
    for (const g of groups) for (const r of g.rules) if (r.record) done.add(r.record);
    passes.push({ groups });
    left -= count;
  }
  return passes;
}

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
  /** Also scrape these API servers (live series beside the seeded history). */
  apiservers?: ApiServerTargets;
  /** Seeded history: hours back from `now`, at this resolution (default 24 h at one minute). */
  hours?: number;
  stepSeconds?: number;
  /**
   * A recording rules file (Prometheus' YAML) to load, its recorded series backfilled over the
   * seeded history by promtool; the rules' own `interval`, else the seeding step, as evaluation interval.
   */
  recordingRules?: string;
  /** Keep the seeded series going with live samples (see live-feed.ts), except these families. */
  live?: { skip: readonly string[] };
}): Promise<RunningPrometheus & { backfillSeconds?: number }> {
  const dir = join(opts.runDir, 'prometheus');
  const dataDir = join(dir, 'data');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const seedFile = join(dir, 'seed.om');
  const out = createWriteStream(seedFile);
  const end = opts.now ?? new Date();
  for (const chunk of generateOpenMetrics({
    clusters: opts.clusters,
    end,
    ...(opts.hours !== undefined && { hours: opts.hours }),
    ...(opts.stepSeconds !== undefined && { stepSeconds: opts.stepSeconds }),
  })) {
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
  let rulesFile: string | undefined;
  if (opts.recordingRules !== undefined) {
    rulesFile = join(dir, 'recording-rules.yml');
    copyFileSync(opts.recordingRules, rulesFile);
  }
  // The history is seeded; live samples arrive by remote write and, when given, from the API servers.
  writeFileSync(configFile, prometheusConfig(opts.apiservers, rulesFile ? [rulesFile] : []));
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const start = () => {
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
    return waitUntil('prometheus', async () => (await fetch(`${url}/-/ready`)).ok, { timeoutMs: 30_000, service }).then(() => service);
  };
  let service = await start();
  let backfillSeconds: number | undefined;
  if (rulesFile) {
    const t0 = performance.now();
    const endSeconds = end.getTime() / 1000;
    const hours = opts.hours ?? 24;
    // promtool evaluates rules against the running server: rules that read other rules' output (the fleet bands
    // read the per-cluster series) need those blocks loaded first, so each pass holds the rules whose inputs are
    // in by then. Every pass uses the same file path and group names: promtool aligns a group's evaluation grid
    // by a hash of both, and a band must land on the grid of the series it reads.
    const passFile = join(dir, 'backfill-rules.yml');
    const evalIntervalSeconds = opts.stepSeconds ?? 60;
    for (const pass of backfillPasses(parse(readFileSync(rulesFile, 'utf8')) as RuleFile)) {
      writeFileSync(passFile, JSON.stringify(pass));
      const longestIntervalSeconds = Math.max(
        evalIntervalSeconds,
        ...pass.groups.map((g) =>
          g.interval === undefined ? evalIntervalSeconds : (parsePromDuration(g.interval) ?? evalIntervalSeconds),
        ),
      );
      try {
        await backfillRules({
          url,
          rulesFile: passFile,
          start: endSeconds - hours * 3600,
          end: endSeconds,
          evalIntervalSeconds,
          longestIntervalSeconds,
          workDir: dir,
          dataDir,
        });
      } finally {
        rmSync(passFile, { force: true });
        await service.stop();
      }
      // Restarted on the same port: the backfilled blocks are read at start.
      service = await start();
    }
    backfillSeconds = Math.round((performance.now() - t0) / 100) / 10;
  }
  const running = service;
  const feed =
    opts.live &&
    startLiveFeed({
      prometheusUrl: url,
      seed: {
        clusters: opts.clusters,
        end,
        ...(opts.hours !== undefined && { hours: opts.hours }),
        ...(opts.stepSeconds !== undefined && { stepSeconds: opts.stepSeconds }),
      },
      skip: opts.live.skip,
    });
  return {
    url,
    pid: running.pid,
    version: versionOf('prometheus'),
    close: () => {
      if (feed) feed.stop();
      return running.stop();
    },
    ...(backfillSeconds !== undefined && { backfillSeconds }),
  };
}
