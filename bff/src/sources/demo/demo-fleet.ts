import type { Cluster, ClusterState, SyncState } from '@fleetdeck/shared';

/**
 * The brief's fleet: three clients, their clusters, and the labels that place each
 * one (client, env, region, tier, type). Names are unique across the fleet, as a hub
 * requires. Times are relative to `now` so the demo always looks current.
 */
interface DemoClusterSpec {
  name: string;
  client: string;
  env: 'production' | 'staging' | 'dev';
  region: string;
  tier: 'critical' | 'standard' | 'edge' | 'canary';
  type: 'doks' | 'eks' | 'gke' | 'k3s';
  state?: ClusterState;
  sync?: SyncState;
  driftedResources?: number;
  heartbeatAgeSeconds?: number;
  nodeCount: number;
  annotations?: Record<string, string>;
}

const EDGE_REGIONS = ['us-east', 'us-central', 'us-west'] as const;

const SPECS: DemoClusterSpec[] = [
  {
    name: 'prod-us-east',
    client: 'client-a',
    env: 'production',
    region: 'us-east',
    tier: 'critical',
    type: 'doks',
    nodeCount: 12,
    annotations: { compliance: 'pci' },
  },
  {
    name: 'prod-us-west',
    client: 'client-a',
    env: 'production',
    region: 'us-west',
    tier: 'critical',
    type: 'doks',
    nodeCount: 9,
    annotations: { compliance: 'pci' },
  },
  { name: 'client-a-staging', client: 'client-a', env: 'staging', region: 'us-east', tier: 'standard', type: 'doks', nodeCount: 4 },
  ...Array.from({ length: 12 }, (_, i): DemoClusterSpec => {
    const n = String(i + 1).padStart(3, '0');
    return {
      name: `edge-retail-${n}`,
      client: 'client-a',
      env: 'production',
      region: EDGE_REGIONS[i % EDGE_REGIONS.length]!,
      // One store runs every change first: the canary wave.
      tier: i === 0 ? 'canary' : 'edge',
      type: 'k3s',
      nodeCount: 1,
      annotations: { 'fleetdeck.dev/groups': 'edge-clusters', store: `store-${n}` },
      ...(n === '007' && { state: 'NotReady' as const, heartbeatAgeSeconds: 25 * 60 }),
      ...(n === '011' && { state: 'Unknown' as const, sync: 'Unknown' as const, heartbeatAgeSeconds: 3 * 3600 }),
      ...(n === '004' && { sync: 'Drifted' as const, driftedResources: 2 }),
    };
  }),
  {
    name: 'prod-eu-west',
    client: 'client-b',
    env: 'production',
    region: 'eu-west',
    tier: 'critical',
    type: 'eks',
    nodeCount: 15,
    annotations: { compliance: 'gdpr' },
  },
  { name: 'client-b-staging', client: 'client-b', env: 'staging', region: 'eu-west', tier: 'standard', type: 'eks', nodeCount: 3 },
  {
    name: 'client-b-dev',
    client: 'client-b',
    env: 'dev',
    region: 'eu-west',
    tier: 'standard',
    type: 'eks',
    nodeCount: 2,
    sync: 'Drifted',
    driftedResources: 5,
  },
  { name: 'prod-asia', client: 'client-c', env: 'production', region: 'ap-southeast', tier: 'critical', type: 'gke', nodeCount: 8 },
  { name: 'client-c-staging', client: 'client-c', env: 'staging', region: 'ap-southeast', tier: 'standard', type: 'gke', nodeCount: 3 },
];

export const DEMO_TENANTS = ['client-a', 'client-b', 'client-c'] as const;

function toCluster(spec: DemoClusterSpec, now: Date): Cluster {
  const state = spec.state ?? 'Ready';
  const heartbeat = new Date(now.getTime() - (spec.heartbeatAgeSeconds ?? 20) * 1000).toISOString();
  const joinedAt = new Date(now.getTime() - 90 * 24 * 3600 * 1000).toISOString();
  const sync = spec.sync ?? 'InSync';
  return {
    name: spec.name,
    tenant: spec.client,
    environment: spec.env,
    labels: { client: spec.client, env: spec.env, region: spec.region, tier: spec.tier, type: spec.type },
    annotations: spec.annotations ?? {},
    state,
    conditions: [
      { type: 'Joined', status: 'True', reason: 'MemberJoined', lastTransitionTime: joinedAt },
      state === 'Ready'
        ? { type: 'Healthy', status: 'True', reason: 'AgentHeartbeat', lastTransitionTime: joinedAt }
        : {
            type: 'Healthy',
            status: state === 'Unknown' ? 'Unknown' : 'False',
            reason: 'HeartbeatStale',
            message: `no agent heartbeat for ${Math.round((spec.heartbeatAgeSeconds ?? 0) / 60)} min`,
            lastTransitionTime: heartbeat,
          },
    ],
    sync: { state: sync, driftedResources: spec.driftedResources ?? 0 },
    kubernetesVersion: spec.type === 'k3s' ? 'v1.35.4+k3s1' : 'v1.36.3',
    nodeCount: spec.nodeCount,
    lastHeartbeat: heartbeat,
    source: 'demo',
  };
}

/**
 * Generated clusters for scale checks (benchmarks, the UI at 1,000+ clusters), spread
 * over the demo tenants and environments with the same label keys.
 */
function syntheticSpecs(count: number): DemoClusterSpec[] {
  const envs = ['production', 'staging', 'dev'] as const;
  const regions = ['us-east', 'us-west', 'eu-west', 'ap-southeast'] as const;
  return Array.from({ length: count }, (_, i) => {
    const client = DEMO_TENANTS[i % DEMO_TENANTS.length]!;
    const env = envs[Math.floor(i / DEMO_TENANTS.length) % envs.length]!;
    return {
      name: `${client}-${env}-${String(i).padStart(5, '0')}`,
      client,
      env,
      region: regions[i % regions.length]!,
      tier: env === 'production' ? 'critical' : 'standard',
      type: 'k3s',
      nodeCount: 1 + (i % 7),
      ...(i % 97 === 0 && { state: 'NotReady' as const, heartbeatAgeSeconds: 600 }),
      ...(i % 31 === 0 && { sync: 'Drifted' as const, driftedResources: 1 + (i % 4) }),
    };
  });
}

export function demoClusters(now: Date, syntheticCount = 0): Cluster[] {
  return [...SPECS, ...syntheticSpecs(syntheticCount)].map((spec) => toCluster(spec, now));
}
