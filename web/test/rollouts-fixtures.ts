import { Rollout, RolloutList, RolloutSummary, type Wave } from '@fleetdeck/shared';

// Test data for the rollouts area, parsed with the shared schemas so it cannot drift from the API.

export function summary(over: Partial<RolloutSummary> & { name: string }): RolloutSummary {
  return RolloutSummary.parse({
    id: `demo~~${over.name}`,
    source: 'demo',
    target: 'core-stack',
    revision: 'abc1234',
    state: 'Progressing',
    currentWave: 'canary',
    progress: { total: 10, succeeded: 3, failed: 0, updating: 1 },
    redacted: false,
    hiddenClusters: 0,
    createdAt: '2026-11-24T09:00:00Z',
    updatedAt: '2026-11-24T09:30:00Z',
    ...over,
  });
}

export function list(items: RolloutSummary[], nextCursor?: string): RolloutList {
  return RolloutList.parse({ items, errors: [], ...(nextCursor && { nextCursor }) });
}

export function wave(over: Partial<Wave> & { name: string; index: number }): Wave {
  return {
    state: 'NotStarted',
    gates: [],
    clusters: [],
    hiddenClusters: 0,
    progress: { total: 0, succeeded: 0, failed: 0, updating: 0 },
    ...over,
  };
}

/** A rollout waiting at an approval before "production", with every part of the page filled. */
export function detail(over: Partial<Rollout> = {}): Rollout {
  const base = summary({ name: 'core-stack-v42', state: 'AwaitingApproval', currentWave: 'production' });
  return Rollout.parse({
    ...base,
    awaitingApproval: { wave: 'production', position: 'before', canApprove: true },
    policy: {
      maxConcurrent: 2,
      failureThreshold: 1,
      sourceFields: { maxConcurrent: 'stages[].maxConcurrency', failureThreshold: 'demo.failureThreshold' },
    },
    waves: [
      wave({
        name: 'canary',
        index: 0,
        state: 'Succeeded',
        maxConcurrency: 1,
        progress: { total: 1, succeeded: 1, failed: 0, updating: 0 },
        clusters: [{ cluster: 'edge-retail-001', region: 'us-east', state: 'Succeeded' }],
      }),
      wave({
        name: 'production',
        index: 1,
        state: 'AwaitingApproval',
        maxConcurrency: '50%',
        gates: [{ kind: 'Approval', position: 'before', state: 'Waiting', approvalName: 'core-stack-v42-before-production' }],
        progress: { total: 4, succeeded: 0, failed: 0, updating: 0 },
        clusters: [
          { cluster: 'prod-us-east', region: 'us-east', state: 'Pending' },
          { cluster: 'prod-us-west', region: 'us-west', state: 'Pending' },
        ],
      }),
    ],
    conditions: [{ type: 'Progressing', status: 'False', reason: 'UpdateRunWaiting' }],
    actions: {
      approve: { allowed: true },
      pause: { allowed: true },
      resume: { allowed: false, reason: 'The rollout is not paused.' },
      reject: { allowed: true },
      abort: { allowed: true },
      rollback: { allowed: false, reason: 'Nothing to roll back to yet.' },
      unpin: { allowed: false, reason: 'Not pinned.' },
    },
    approveWaves: { production: { allowed: true } },
    history: [],
    errors: [],
    ...over,
  });
}
