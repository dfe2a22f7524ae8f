import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** promtool writes the rules' blocks 2 h long, aligned to the epoch (we do not pass --max-block-duration). */
const BLOCK_SECONDS = 2 * 3600;

/**
 * The `--start` to give promtool for history from `start`: `start` itself, unless it lies
 * within one evaluation interval before a block boundary, then that boundary.
 *
 * promtool's rule importer (2.42, and upstream until prometheus/prometheus#19714 is fixed)
 * stops at the first block that holds no evaluation point instead of moving on to the next,
 * so such a start writes nothing at all and exits 0: every rule's history is lost, not just
 * the seconds before the boundary. Seen on CI at 17:59:33 (a day of history from 17:59:33
 * the day before, its first evaluation point past 18:00:00). The group's evaluation offset
 * is a hash of the rules file's path, so the safe distance is one whole interval.
 */
export function backfillStartSeconds(start: number, longestIntervalSeconds: number): number {
  const boundary = Math.ceil(start / BLOCK_SECONDS) * BLOCK_SECONDS;
  // promtool reads whole seconds and ends a block one second before the next.
  return boundary - Math.floor(start) <= longestIntervalSeconds + 1 ? boundary : start;
}

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
  /** The longest evaluation interval of the file's groups (theirs or the one above). */
  longestIntervalSeconds: number;
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
    `--start=${Math.floor(backfillStartSeconds(opts.start, opts.longestIntervalSeconds))}`,
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
  // promtool can exit 0 having written nothing (see backfillStartSeconds); the failure would show only
  // later, as panels without their recorded series.
  if (blocks.length === 0) throw new Error(`promtool wrote no blocks for the recording rules: ${stderr || '(nothing on stderr)'}`);
  for (const b of blocks) renameSync(join(out, b.name), join(opts.dataDir, b.name));
  rmSync(out, { recursive: true, force: true });
  return { blocks: blocks.length };
}
