import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, spawnService, waitUntil, type Service } from '../proc/service.ts';

/** One etcd for every API server of the testbed; each API server has its own --etcd-prefix. */
export async function startEtcd(bin: string, runDir: string): Promise<{ url: string; service: Service }> {
  const dataDir = join(runDir, 'etcd');
  mkdirSync(dataDir, { recursive: true });
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const service = spawnService(
    'etcd',
    bin,
    [
      '--name=testbed',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=testbed=${peerUrl}`,
      // A throwaway store: durability is not worth the fsync cost here.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    { logFile: join(runDir, 'etcd.log') },
  );
  await waitUntil(
    'etcd',
    async () => {
      const res = await fetch(`${url}/health`);
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    },
    { timeoutMs: 30_000, service },
  );
  return { url, service };
}
