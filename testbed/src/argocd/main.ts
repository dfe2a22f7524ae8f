/**
 * `node testbed/src/argocd/main.ts --kubeconfig <hub admin kubeconfig> [--sync-ms 1000]`
 * The Argo CD stand-in as its own process (a simulated external controller for tests;
 * not part of Fleetdeck). Logs JSON lines; stops on SIGTERM.
 */
import { parseArgs } from 'node:util';

import { targetFromKubeconfig } from '../controller/kube-io.ts';
import { startArgoStandin } from './standin.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, 'sync-ms': { type: 'string', default: '1000' } } });
if (!values.kubeconfig) throw new Error('--kubeconfig is required');
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...extra })}\n`);
const standin = startArgoStandin({ target: targetFromKubeconfig(values.kubeconfig), syncMs: Number(values['sync-ms']), log });
log('argo cd stand-in started', { syncMs: Number(values['sync-ms']) });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void standin.stop().then(() => {
      log('argo cd stand-in stopped');
      process.exit(0);
    });
  });
}
