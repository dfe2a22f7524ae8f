import { describe, expect, it } from 'vitest';

import { activeRunClusters } from '../../src/sources/rollouts/active-runs.ts';

const stages = [{ clusters: [{ clusterName: 'a' }, { clusterName: 'b' }] }, { clusters: [{ clusterName: 'c' }] }];

describe('activeRunClusters', () => {
  it('lists every cluster of an unfinished run with its state', () => {
    expect(
      activeRunClusters({
        spec: { state: 'Run' },
        status: { conditions: [{ type: 'Progressing', status: 'True' }], stagesStatus: stages },
      }),
    ).toEqual({ clusters: ['a', 'b', 'c'], state: 'Progressing' });
    expect(
      activeRunClusters({
        status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'UpdateRunWaiting' }], stagesStatus: stages },
      })?.state,
    ).toBe('Waiting');
    expect(activeRunClusters({ spec: { state: 'Stop' }, status: { stagesStatus: stages } })?.state).toBe('Stopped');
    expect(activeRunClusters({})).toEqual({ clusters: [], state: 'Pending' });
  });
  it('ignores finished runs, successful or failed', () => {
    expect(activeRunClusters({ status: { conditions: [{ type: 'Succeeded', status: 'True' }], stagesStatus: stages } })).toBeUndefined();
    expect(activeRunClusters({ status: { conditions: [{ type: 'Succeeded', status: 'False' }], stagesStatus: stages } })).toBeUndefined();
  });
});
