import { z } from 'zod';

import { AnyOrList, Role, Verb } from '@fleetdeck/shared';

/**
 * The access policy: which OIDC groups (or users) get which role over which slice of
 * the fleet. Group names are configuration, not code.
 *
 * A binding names either an exact `group`, a `user`, or a `groupPattern` in which
 * `{tenant}` captures the tenant id (`tenant-{tenant}-admins` matches
 * `tenant-client-a-admins` and grants tenant `client-a`). `{tenant}` may also appear
 * in `namespaces`, where it is replaced by the captured id.
 */
export const Binding = z
  .strictObject({
    group: z.string().min(1).optional(),
    groupPattern: z
      .string()
      .min(1)
      .refine((p) => p.split('{tenant}').length === 2, 'must contain {tenant} exactly once')
      .optional(),
    user: z.string().min(1).optional(),
    role: Role,
    tenants: z.optional(AnyOrList),
    environments: z._default(AnyOrList, '*'),
    namespaces: z._default(AnyOrList, '*'),
  })
  .refine((b) => [b.group, b.groupPattern, b.user].filter(Boolean).length === 1, {
    message: 'a binding names exactly one of group, groupPattern, user',
  })
  .refine((b) => !(b.groupPattern && b.tenants), { message: 'a groupPattern binding takes its tenant from the group name; drop tenants' })
  .refine((b) => b.groupPattern !== undefined || b.tenants !== undefined, {
    message: 'tenants is required (use "*" for every tenant)',
  });
export type Binding = z.infer<typeof Binding>;

/**
 * The approver policy, on top of the `approve` verb and Kubernetes RBAC: for waves whose
 * name matches `stages` (a glob; the first matching rule wins), how many distinct people
 * must approve, how many of them from which groups, and whether approving needs a
 * multi-factor sign-in. Waves no rule matches need one approval.
 */
export const ApproverRule = z.strictObject({
  stages: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9*?.-]+$/, 'a wave-name glob: lowercase letters, digits, ".", "-", "*" and "?"'),
  /** Distinct approvers needed in all. */
  approvals: z.number().int().min(1).max(10).default(1),
  /** e.g. [{ group: "fleet-platform-admins", approvals: 1 }]: at least one of them from that group. */
  groups: z.array(z.strictObject({ group: z.string().min(1), approvals: z.number().int().min(1).max(10).default(1) })).default([]),
  /** Approving needs a multi-factor sign-in (the brief: "MFA required for prod"). */
  mfa: z.boolean().default(false),
});
export type ApproverRule = z.infer<typeof ApproverRule>;

export const AccessPolicy = z.strictObject({
  roles: z.record(Role, z.array(Verb)),
  bindings: z.array(Binding),
  approvers: z.array(ApproverRule).default([]),
});
export type AccessPolicy = z.infer<typeof AccessPolicy>;

/** The brief's identity hierarchy, as the defaults. */
export const DEFAULT_ACCESS_POLICY: AccessPolicy = AccessPolicy.parse({
  roles: {
    'platform-admin': ['view', 'viewLogs', 'viewSecrets', 'approve', 'operate'],
    // "Limited secrets": secrets only inside their own tenant, which the scope already bounds.
    'tenant-admin': ['view', 'viewLogs', 'viewSecrets', 'approve', 'operate'],
    developer: ['view', 'viewLogs'],
    viewer: ['view', 'viewLogs'],
  },
  bindings: [
    { group: 'fleet-platform-admins', role: 'platform-admin', tenants: '*' },
    { groupPattern: 'tenant-{tenant}-admins', role: 'tenant-admin' },
    {
      groupPattern: 'tenant-{tenant}-developers',
      role: 'developer',
      environments: ['dev', 'staging'],
      namespaces: ['{tenant}-*'],
    },
    { groupPattern: 'tenant-{tenant}-viewers', role: 'viewer' },
    { group: 'fleet-viewers', role: 'viewer', tenants: '*' },
  ],
});
