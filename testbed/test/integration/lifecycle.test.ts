import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { processGroupMembers } from '../../src/index.ts';

const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/**
 * A test run that dies without cleaning up (SIGKILL: no handler runs) must not leave
 * kube-apiservers, etcd or Prometheus behind: the daemon watches its parent and takes
 * its whole process group down.
 */
describe('testbed lifecycle', () => {
  it('leaves no process behind when the process that started it is killed', { timeout: 90_000 }, async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'testbed-orphans-'));
    const script = `import { up } from ${JSON.stringify(INDEX)};
      await up({ runDir: ${JSON.stringify(runDir)}, parentPid: process.pid });
      process.stdout.write('UP\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('UP') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the testbed was up`)));
    });
    const pgid = Number(readFileSync(join(runDir, 'daemon.pid'), 'utf8'));
    const members = processGroupMembers(pgid);
    // The daemon, etcd, three API servers, Prometheus and the controller stand-in.
    expect(members.length).toBeGreaterThanOrEqual(7);

    child.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (processGroupMembers(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(processGroupMembers(pgid)).toEqual([]);
    rmSync(runDir, { recursive: true, force: true });
  });
});
