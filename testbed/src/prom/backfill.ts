import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Recorded series for history that predates the rules, the way operators backfill them:
 * `promtool tsdb create-blocks-from rules` evaluates each rule over [start, end] against a
 * running Prometheus (range queries) and writes TSDB blocks, which are then moved into the
 * data directory. Prometheus must be restarted (or reload its blocks) to read them.
 */
export async function backfillRules(opts: {
  url: string;
  rulesFile: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** Used for groups without their own `interval`. */
  evalIntervalSeconds: number;
  workDir: string;
  dataDir: string;
}): Promise<{ blocks: number }> {
  const out = join(opts.workDir, 'rule-blocks');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const args = [
    'tsdb',
    'create-blocks-from',
    'rules',
    '--quiet',
    `--url=${opts.url}`,
    `--start=${Math.floor(opts.start)}`,
    `--end=${Math.ceil(opts.end)}`,
    `--eval-interval=${opts.evalIntervalSeconds}s`,
    `--output-dir=${out}`,
    opts.rulesFile,
  ];
  // Asynchronous: the testbed starts its other services meanwhile.
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('promtool', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  if (code !== 0) throw new Error(`promtool could not backfill the recording rules: ${stderr}`);
  const blocks = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory());
  // Seen once on the bench: promtool exited 0 in under a second having written nothing, and the
  // failure showed only later as panels without their recorded series.
  if (blocks.length === 0) throw new Error(`promtool wrote no blocks for the recording rules: ${stderr || '(nothing on stderr)'}`);
  for (const b of blocks) renameSync(join(out, b.name), join(opts.dataDir, b.name));
  rmSync(out, { recursive: true, force: true });
  return { blocks: blocks.length };
}
