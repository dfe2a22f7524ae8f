import { AccessPolicy, DEFAULT_ACCESS_POLICY, type ApproverRule } from '../../../access/policy.ts';

/**
 * The demo shows the brief's approver policy: production waves need two people, one of them
 * a Platform Admin (client-a's Tenant Admin plus Pat Platform release client-a's production
 * wave, and the progress reads "1 of 2 approvals; needs one more from fleet-platform-admins"
 * in between). No MFA: demo sign-ins have no second factor. Real mode keeps the default
 * policy (no rules: one approval) unless the access policy YAML says otherwise.
 */
export const DEMO_APPROVERS: ApproverRule[] = [
  { stages: 'prod*', approvals: 2, groups: [{ group: 'fleet-platform-admins', approvals: 1 }], mfa: false },
];

export const DEMO_ACCESS_POLICY: AccessPolicy = AccessPolicy.parse({ ...DEFAULT_ACCESS_POLICY, approvers: DEMO_APPROVERS });
