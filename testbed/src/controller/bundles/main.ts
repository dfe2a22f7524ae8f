/**
 * `node testbed/src/controller/bundles/main.ts --kubeconfig <hub admin kubeconfig> --seconds-per-cluster 0.5`
 * The Rancher Fleet stand-in as its own process (simulated Fleet controller and agents
 * for tests; not part of Fleetdeck). Logs JSON lines; stops on SIGTERM.
 */
import { parseArgs } from 'node:util';

import { targetFromKubeconfig } from '../kube-io.ts';
import { startBundleController } from './loop.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'seconds-per-cluster': { type: 'string', default: '0.5' },
    'interval-ms': { type: 'string', default: '500' },
    fail: { type: 'string', multiple: true },
  },
});
if (!values.kubeconfig) throw new Error('--kubeconfig is required');
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...extra })}\n`);
const secondsPerCluster = Number(values['seconds-per-cluster']);
const controller = startBundleController({
  target: targetFromKubeconfig(values.kubeconfig),
  secondsPerCluster,
  intervalMs: Number(values['interval-ms']),
  failClusters: new Set(values.fail ?? []),
  log,
});
log('rancher fleet stand-in started', { secondsPerCluster });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void controller.stop().then(() => {
      log('rancher fleet stand-in stopped');
      process.exit(0);
    });
  });
}
