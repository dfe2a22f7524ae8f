import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { startPrometheus } from '../../src/prom/start.ts';

const RULES = fileURLToPath(new URL('../../../deploy/prometheus/fleetdeck-recording-rules.yaml', import.meta.url));
const BLOCK = 2 * 3600;
const CLUSTERS = [
  { name: 'prod-a', tenant: 'client-a', env: 'production', nodes: 1 },
  { name: 'dev-b', tenant: 'client-b', env: 'development', nodes: 2 },
];

/**
 * promtool's rule importer writes nothing (exit 0) when its --start leaves the first 2 h block
 * without an evaluation point (prometheus/prometheus#19714). The testbed backfills a day back
 * from its start, so a testbed started in the minute before an even UTC hour lost every recorded
 * series (CI, 17:59:33). Here a day of history begins one second before a block boundary: with
 * a one-minute group that first block holds an evaluation point once in sixty runs at most.
 */
describe('the testbed Prometheus’ recording-rule backfill', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'prom-backfill-'));
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('holds the recorded series over the history when the history starts just before a block boundary', { timeout: 90_000 }, async () => {
    const boundary = Math.floor((Date.now() / 1000 - 24 * 3600) / BLOCK) * BLOCK;
    const now = new Date((boundary - 1 + 24 * 3600) * 1000);
    const prometheus = await startPrometheus({ runDir, now, clusters: CLUSTERS, recordingRules: RULES });
    try {
      const count = async (query: string, at: number) => {
        const res = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query, time: String(at) })}`);
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result.length === 0 ? 0 : Number(body.data.result[0]!.value[1]);
      };
      // Oldest hour, middle, and the last hour of the history; a per-cluster series (first pass) and a band (second).
      for (const at of [boundary + 600, boundary + 12 * 3600, boundary + 23 * 3600]) {
        expect(
          await count('count(cluster:fleetdeck_nodes_ready:ratio)', at),
          `recorded per-cluster series at ${new Date(at * 1000).toISOString()}`,
        ).toBe(CLUSTERS.length);
        expect(
          await count('count(fleet:fleetdeck_nodes_ready:ratio_band)', at),
          `recorded fleet band at ${new Date(at * 1000).toISOString()}`,
        ).toBeGreaterThan(0);
      }
    } finally {
      await prometheus.close();
    }
  });
});
