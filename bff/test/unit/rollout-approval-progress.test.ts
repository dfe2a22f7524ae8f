import { describe, expect, it } from 'vitest';

import { Rollout, type RecordedApproval } from '@fleetdeck/shared';

import { ApproverRule } from '../../src/access/policy.ts';
import { accessContext, rolloutDetailFor, tenantNamespaceMapper } from '../../src/access/rollout-access.ts';
import { CLUSTERS, NOT_FOR_CLIENT_A, PERSONAS, makeRollout, viewerOf } from '../helpers/rollout-fixtures.ts';

const RULES = [ApproverRule.parse({ stages: 'prod*', approvals: 2, groups: [{ group: 'fleet-platform-admins', approvals: 1 }] })];
const CTX = accessContext(CLUSTERS, tenantNamespaceMapper('fleet-{tenant}'), RULES);
const withGroups = (p: (typeof PERSONAS)[keyof typeof PERSONAS]) => ({ ...viewerOf(p), groups: p.groups });

const byAda: RecordedApproval = {
  user: PERSONAS.clientAAdmin.user,
  at: '2026-11-24T09:30:00Z',
  groups: [],
  comment: 'prod-eu-west looked fine',
  notReadyReason: 'prod-asia is flaky, known',
  readiness: { verdict: 'NotReady', reasons: ['prod-asia: 80% pods healthy'], evaluatedAt: '2026-11-24T09:29:00Z', digest: 'd' },
};

const wholeA = {
  ...makeRollout({ name: 'web-v3', waves: [{ name: 'production', clusters: ['prod-us-east'], waiting: true }] }),
  recordedApprovals: { production: [byAda] },
};
const cross = {
  ...makeRollout({ name: 'cve', waves: [{ name: 'production', clusters: ['prod-us-east', 'prod-eu-west', 'prod-asia'], waiting: true }] }),
  recordedApprovals: { production: [{ ...byAda, user: 'someone-else@demo' }] },
};

describe('approval progress in the rollout detail', () => {
  it('shows the progress; the counted person may not approve again, a non-member may not fill the admins’ slot', () => {
    const forAda = Rollout.parse(rolloutDetailFor(withGroups(PERSONAS.clientAAdmin), wholeA, CTX));
    expect(forAda.approvalProgress?.production).toMatchObject({
      required: 2,
      satisfied: false,
      summary: '1 of 2 approvals; needs one more from fleet-platform-admins',
      approvals: [byAda],
    });
    expect(forAda.approveWaves.production).toEqual({
      allowed: false,
      reason: 'you already approved; needs one more from fleet-platform-admins',
    });
    const forPat = rolloutDetailFor(withGroups(PERSONAS.platformAdmin), wholeA, CTX)!;
    expect(forPat.approveWaves.production).toEqual({ allowed: true });
    const other = { ...withGroups(PERSONAS.clientAAdmin), user: 'client-a-admin-2@demo' };
    expect(rolloutDetailFor(other, wholeA, CTX)!.approveWaves.production).toEqual({
      allowed: false,
      reason: 'this wave needs an approver from fleet-platform-admins',
    });
  });

  it('in a redacted view, names who approved but drops their comment, reason and readiness snapshot', () => {
    const d = rolloutDetailFor(withGroups(PERSONAS.clientAAdmin), cross, CTX)!;
    expect(d.redacted).toBe(true);
    expect(d.approvalProgress?.production?.approvals).toEqual([{ user: 'someone-else@demo', at: byAda.at, groups: [] }]);
    const text = JSON.stringify(d.approvalProgress);
    for (const word of NOT_FOR_CLIENT_A) expect(text, word).not.toContain(word);
    // The full view keeps them.
    const full = rolloutDetailFor(withGroups(PERSONAS.platformAdmin), cross, CTX)!;
    expect(full.approvalProgress?.production?.approvals[0]).toMatchObject({
      notReadyReason: byAda.notReadyReason,
      readiness: byAda.readiness,
    });
  });
});
