/**
 * `node testbed/src/controller/main.ts --kubeconfig <hub admin kubeconfig> --seconds-per-cluster 0.5`
 * The fleet controller stand-in as its own process (a simulated external controller
 * for tests; not part of Fleetdeck). Logs JSON lines; stops on SIGTERM.
 */
import { parseArgs } from 'node:util';

import { startFleetController, targetFromKubeconfig } from './controller.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'seconds-per-cluster': { type: 'string', default: '0.5' },
    fail: { type: 'string', multiple: true },
  },
});
if (!values.kubeconfig) throw new Error('--kubeconfig is required');
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...extra })}\n`);
const controller = startFleetController({
  target: targetFromKubeconfig(values.kubeconfig),
  secondsPerCluster: Number(values['seconds-per-cluster']),
  failClusters: new Set(values.fail ?? []),
  log,
});
log('fleet controller stand-in started', { secondsPerCluster: Number(values['seconds-per-cluster']) });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void controller.stop().then(() => {
      log('fleet controller stand-in stopped');
      process.exit(0);
    });
  });
}
