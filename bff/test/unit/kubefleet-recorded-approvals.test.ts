import { describe, expect, it } from 'vitest';

import {
  APPROVALS_ANNOTATION,
  MAX_APPROVALS_ANNOTATION,
  readRecordedApprovals,
  writeRecordedApprovals,
} from '../../src/sources/kubefleet/rollouts/recorded-approvals.ts';
import { readApproval } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';

const entry = { user: 'ada', at: '2026-11-26T07:00:00Z', groups: ['fleet-platform-admins'], comment: 'ok' };
const read = (value: unknown) => readRecordedApprovals({ [APPROVALS_ANNOTATION]: value });

describe('the fleetdeck.dev/approvals annotation', () => {
  it('reads what Fleetdeck writes, and nothing when absent', () => {
    expect(read(writeRecordedApprovals([entry]))).toEqual({ approvals: [entry] });
    expect(readRecordedApprovals(undefined)).toEqual({ approvals: [] });
    expect(readRecordedApprovals({ other: 'x' })).toEqual({ approvals: [] });
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['not a list', '{"user":"ada"}', /not a list of approvals/],
    ['an entry without a user', JSON.stringify([{ at: entry.at, groups: [] }]), /not a list of approvals/],
    ['a bad time', JSON.stringify([{ ...entry, at: 'yesterday' }]), /not a list of approvals/],
    ['oversized', JSON.stringify([{ ...entry, comment: 'x'.repeat(MAX_APPROVALS_ANNOTATION) }]), /larger than/],
    ['not a string', 42, /not a string/],
  ])('ignores %s with a reason, never throws', (_what, value, reason) => {
    const got = read(value);
    expect(got.approvals).toEqual([]);
    expect(got.error).toMatch(reason);
  });

  it('is read into the approval request (and its reason kept when ignored)', () => {
    const raw = (value: string) => ({
      metadata: {
        name: 'r-after-staging',
        namespace: 'ns',
        generation: 1,
        resourceVersion: '7',
        annotations: { [APPROVALS_ANNOTATION]: value },
      },
      spec: { parentStageRollout: 'r', targetStage: 'staging' },
    });
    expect(readApproval(raw(writeRecordedApprovals([entry])), 'namespaced')?.recordedApprovals).toEqual([entry]);
    const bad = readApproval(raw('[1]'), 'namespaced');
    expect(bad?.recordedApprovals).toEqual([]);
    expect(bad?.recordedApprovalsError).toMatch(/not a list/);
  });
});
