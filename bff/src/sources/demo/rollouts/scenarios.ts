import type { LabelSelector, ScenarioSpec, WaveSpec } from './plan.ts';

/** The brief's hour, compressed to a minute so the demo moves while someone watches. */
const HOUR = 60;

const BRIEF_POLICY = { failureThreshold: 1, successThresholdPodHealthyRatio: 0.95 } as const;

const env = (value: string): LabelSelector => ({ matchLabels: { env: value } });
const nonProduction: LabelSelector = { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['production'] }] };
const canary: LabelSelector = { matchLabels: { tier: 'canary' } };
const productionIn = (...regions: string[]): LabelSelector => ({
  matchLabels: { env: 'production' },
  matchExpressions: [{ key: 'region', operator: 'In', values: regions }],
});

/** The brief's production order: us-east, then us-west, then eu, then asia, an hour apart (the last needs no wait). */
const productionByRegion: WaveSpec[] = [
  // The central US stores go with the east: the brief names four regions, the fleet has five.
  { name: 'us-east', selector: productionIn('us-east', 'us-central'), maxConcurrency: 2, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
  { name: 'us-west', selector: productionIn('us-west'), maxConcurrency: 2, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
  { name: 'eu', selector: productionIn('eu-west'), maxConcurrency: 2, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
  { name: 'asia', selector: productionIn('ap-southeast'), maxConcurrency: 2 },
];

/**
 * The demo fleet's rollouts: every tenant has runs wholly its own, and the fleet-wide
 * ones span tenants (each tenant must see only its part). Clusters are chosen by the
 * demo's labels, never by name, so the synthetic scale fleet is covered too.
 */
export const DEMO_SCENARIOS: readonly ScenarioSpec[] = [
  {
    // The brief's bundle: canary → staging → production by region, 1 h / 4 h waits; always running.
    name: 'core-stack',
    target: 'core-stack',
    selector: {},
    waves: [
      { name: 'canary', selector: canary, maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      // Every cluster not in production (staging, and client-b's dev) is the staging wave.
      { name: 'staging', selector: nonProduction, maxConcurrency: 2, after: { kind: 'TimedWait', seconds: 4 * HOUR } },
      ...productionByRegion,
    ],
    revision: 12,
    startOffsetSeconds: -100,
    restartAfterSeconds: 60,
    policy: { maxConcurrent: 2, pauseBetweenWavesSeconds: 1 * HOUR, ...BRIEF_POLICY },
  },
  {
    // The brief's emergency patch: its partitions with their maxConcurrent; production needs a Platform Admin.
    name: 'cve-2024-critical',
    target: 'cve-2024-critical',
    selector: {},
    waves: [
      { name: 'canary', selector: canary, maxConcurrency: 1, after: { kind: 'TimedWait', seconds: HOUR / 2 } },
      { name: 'non-prod', selector: nonProduction, maxConcurrency: 5 },
      { name: 'production', selector: env('production'), maxConcurrency: 2, before: { kind: 'Approval' } },
    ],
    revision: 3,
    startOffsetSeconds: -20 * 60,
    policy: { maxConcurrent: 3, pauseBetweenWavesSeconds: HOUR / 2, ...BRIEF_POLICY },
  },
  {
    // Client-a's own release: its Tenant Admin approves production (every cluster of that wave is client-a's).
    name: 'web-v3',
    namespace: 'fleet-client-a',
    tenant: 'client-a',
    target: 'web',
    selector: { matchLabels: { client: 'client-a' } },
    waves: [
      { name: 'staging', selector: env('staging'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      { name: 'canary', selector: canary, maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      { name: 'production', selector: env('production'), maxConcurrency: 3, before: { kind: 'Approval' } },
    ],
    revision: 7,
    startOffsetSeconds: -6 * 60,
    policy: { maxConcurrent: 3, pauseBetweenWavesSeconds: 1 * HOUR, ...BRIEF_POLICY },
  },
  {
    // Fails in staging and halts (failure threshold 1): production never starts; roll back is offered.
    name: 'web-v3-1',
    namespace: 'fleet-client-b',
    tenant: 'client-b',
    target: 'web',
    selector: { matchLabels: { client: 'client-b' } },
    waves: [
      { name: 'dev', selector: env('dev'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: HOUR / 2 } },
      { name: 'staging', selector: env('staging'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      { name: 'production', selector: env('production'), maxConcurrency: 1 },
    ],
    failures: [{ selector: env('staging'), message: 'ImagePullBackOff: registry.example.com/web:v3.1 not found' }],
    revision: 31,
    startOffsetSeconds: -4 * 60,
    policy: { maxConcurrent: 1, pauseBetweenWavesSeconds: 1 * HOUR, ...BRIEF_POLICY },
  },
  {
    name: 'apps-v42',
    namespace: 'fleet-client-b',
    tenant: 'client-b',
    target: 'apps',
    selector: { matchLabels: { client: 'client-b' } },
    waves: [
      { name: 'dev', selector: env('dev'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      { name: 'staging', selector: env('staging'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 1 * HOUR } },
      { name: 'production', selector: env('production'), maxConcurrency: 1 },
    ],
    revision: 42,
    startOffsetSeconds: -40,
    policy: { maxConcurrent: 1, pauseBetweenWavesSeconds: 1 * HOUR, ...BRIEF_POLICY },
  },
  {
    // Stopped by the client during its 4 h soak in staging; resuming lets production go.
    name: 'api-v7',
    namespace: 'fleet-client-c',
    tenant: 'client-c',
    target: 'api',
    selector: { matchLabels: { client: 'client-c' } },
    waves: [
      { name: 'staging', selector: env('staging'), maxConcurrency: 1, after: { kind: 'TimedWait', seconds: 4 * HOUR } },
      { name: 'production', selector: env('production'), maxConcurrency: 1 },
    ],
    revision: 7,
    startOffsetSeconds: -3 * 60,
    seeded: [
      { kind: 'pause', offsetSeconds: -2 * 60, actor: 'ops@client-c.example', reason: 'change freeze until the payment provider confirms' },
    ],
    policy: { maxConcurrent: 1, pauseBetweenWavesSeconds: 4 * HOUR, ...BRIEF_POLICY },
  },
];
