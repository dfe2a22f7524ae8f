import { z } from 'zod/mini';

/**
 * What a person may do within a scope. Routes and proxies check only these.
 * `approve`: approve a rollout's gate; `operate`: pause, resume, reject, abort and roll back rollouts.
 */
export const Verb = z.enum(['view', 'viewLogs', 'viewSecrets', 'approve', 'operate']);
export type Verb = z.infer<typeof Verb>;

export const Role = z.enum(['platform-admin', 'tenant-admin', 'developer', 'viewer']);
export type Role = z.infer<typeof Role>;

/** `"*"` means every value, including ones that appear later (a new tenant, a new environment). */
export const AnyOrList = z.union([z.literal('*'), z.array(z.string())]);
export type AnyOrList = z.infer<typeof AnyOrList>;

/** One binding resolved for one person: a role over a slice of the fleet. */
export const Grant = z.object({
  role: Role,
  tenants: AnyOrList,
  environments: AnyOrList,
  namespaces: AnyOrList,
  verbs: z.array(Verb),
});
export type Grant = z.infer<typeof Grant>;

/** The union of a person's grants. Empty grants mean: sees nothing. */
export const Scope = z.object({ grants: z.array(Grant) });
export type Scope = z.infer<typeof Scope>;

export const Principal = z.object({
  user: z.string().check(z.minLength(1)),
  groups: z.array(z.string()),
  displayName: z.optional(z.string()),
  /**
   * The sign-in used multi-factor authentication: the ID token's `amr` contains "mfa", or its
   * `acr` is one the configuration accepts. Approving production waves may require it.
   */
  mfa: z.optional(z.boolean()),
});
export type Principal = z.infer<typeof Principal>;

/** GET /api/me */
export const Me = z.object({
  principal: Principal,
  scope: Scope,
  authMode: z.enum(['demo', 'oidc']),
  /** Sent back in the CSRF header on every mutating request. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;
