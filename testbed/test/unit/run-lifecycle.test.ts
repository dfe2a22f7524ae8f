import { describe, expect, it } from 'vitest';

import { approvalLabels, lifecycleStep, RUN_FINALIZER } from '../../src/controller/run-lifecycle.ts';

const approvals = [
  { metadata: { name: 'r-after-canary', labels: approvalLabels('r', 'canary', 'afterStage') } },
  { metadata: { name: 'r-before-prod', labels: approvalLabels('r', 'prod', 'beforeStage') } },
  { metadata: { name: 'other-after-canary', labels: approvalLabels('other', 'canary', 'afterStage') } },
  { metadata: { name: 'unlabelled' } },
];

describe('run lifecycle (KubeFleet stand-in)', () => {
  it('adds the finalizer to a run that lacks it, then lets it advance', () => {
    expect(lifecycleStep({ metadata: { name: 'r' } }, approvals)).toEqual({ kind: 'addFinalizer' });
    expect(lifecycleStep({ metadata: { name: 'r', finalizers: [RUN_FINALIZER] } }, approvals)).toEqual({ kind: 'advance' });
  });

  it('on deletion deletes exactly the run’s approval requests (by the targetupdaterun label), then drops the finalizer', () => {
    const deleting = { metadata: { name: 'r', finalizers: ['other.io/keep', RUN_FINALIZER], deletionTimestamp: '2026-11-24T10:00:00Z' } };
    expect(lifecycleStep(deleting, approvals)).toEqual({ kind: 'cleanUp', deleteApprovals: ['r-after-canary', 'r-before-prod'] });
  });

  it('leaves a deleting run alone once its finalizer is gone', () => {
    expect(
      lifecycleStep({ metadata: { name: 'r', deletionTimestamp: '2026-11-24T10:00:00Z', finalizers: ['other.io/keep'] } }, approvals),
    ).toEqual({
      kind: 'gone',
    });
  });

  it('labels approval requests as upstream does (case-sensitive keys)', () => {
    expect(approvalLabels('r', 'prod', 'beforeStage')).toEqual({
      'kubernetes-fleet.io/targetupdaterun': 'r',
      'kubernetes-fleet.io/targetUpdatingStage': 'prod',
      'kubernetes-fleet.io/taskType': 'beforeStage',
      'kubernetes-fleet.io/isLatestUpdateRunApproval': 'true',
    });
  });
});
