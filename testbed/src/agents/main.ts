/**
 * `node testbed/src/agents/main.ts --kubeconfig <hub admin kubeconfig> --clusters a,b,c [--every 30]`
 * The member agents' heartbeats as one process (a simulated external part for tests; not
 * part of Fleetdeck): every `--every` seconds, each named cluster that is healthy gets its
 * heartbeat written on the hub (KubeFleet MemberCluster, Rancher Fleet Cluster).
 */
import { parseArgs } from 'node:util';

import { KubeClient } from '../kube/client.ts';
import { FLEET_NS } from '../controller/seed-rollouts.ts';
import { putIfUnchanged, startLoop, targetFromKubeconfig } from '../controller/kube-io.ts';
import { fleetAgentSeen, memberHeartbeat, type FleetClusterStatus, type MemberClusterStatus } from './heartbeats.ts';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, clusters: { type: 'string', default: '' }, every: { type: 'string', default: '30' } },
});
if (!values.kubeconfig) throw new Error('--kubeconfig is required');
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...extra })}\n`);
const client = new KubeClient(targetFromKubeconfig(values.kubeconfig));
const names = values.clusters.split(',').filter(Boolean);

interface Obj<S> {
  metadata: { name: string; resourceVersion?: string };
  status?: S;
}

async function beat<S>(path: string, next: (s: S | undefined, now: string) => S | undefined): Promise<void> {
  const read = await client.request<Obj<S>>('GET', path);
  if (read.status === 404) return;
  if (read.status !== 200) throw new Error(`GET ${path}: ${read.status}`);
  const status = next(read.body.status, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  // A conflict (someone else wrote) waits for the next beat; a heartbeat is not worth a retry.
  if (status) await putIfUnchanged(client, `${path}/status`, { ...read.body, status });
}

const loop = startLoop(
  'heartbeats',
  async () => {
    for (const name of names) {
      await beat<MemberClusterStatus>(`/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/${name}`, memberHeartbeat);
      await beat<FleetClusterStatus>(`/apis/fleet.cattle.io/v1alpha1/namespaces/${FLEET_NS}/clusters/${name}`, fleetAgentSeen);
    }
  },
  Number(values.every) * 1000,
  log,
);
log('member agents stand-in started', { clusters: names.length, everySeconds: Number(values.every) });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void loop.stop().then(() => process.exit(0));
  });
}
