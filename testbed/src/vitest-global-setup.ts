import type { TestProject } from 'vitest/node';

import { down, up } from './index.ts';
import './vitest-context.ts';

/**
 * Brings the testbed up once per run and down after. A part that cannot start fails
 * the run with its reason; tests never skip for want of a server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const quiet = process.env.TESTBED_VERBOSE ? (line: string) => process.stderr.write(`[testbed] ${line}\n`) : undefined;
  const env = await up({ parentPid: process.pid, ...(quiet && { onLog: quiet }) });
  process.stderr.write(`[testbed] up in ${((Date.now() - started) / 1000).toFixed(1)} s (${env.runDir})\n`);
  project.provide('testbed', env);
  return async () => {
    const { leftovers } = await down();
    if (leftovers.length > 0) throw new Error(`testbed left processes behind: ${leftovers.join(', ')}`);
  };
}
