import { z } from 'zod/mini';

import { Role } from '../model/principal.ts';

/** The personas of the embedded demo fleet; their groups follow the default access policy. */
export const DEMO_USERS = [
  { user: 'platform-admin@demo', displayName: 'Pat Platform', groups: ['fleet-platform-admins'], role: 'platform-admin' },
  { user: 'client-a-admin@demo', displayName: 'Ada Admin (client-a)', groups: ['tenant-client-a-admins'], role: 'tenant-admin' },
  { user: 'client-a-dev@demo', displayName: 'Dev Dana (client-a)', groups: ['tenant-client-a-developers'], role: 'developer' },
  { user: 'client-b-viewer@demo', displayName: 'Vic Viewer (client-b)', groups: ['tenant-client-b-viewers'], role: 'viewer' },
  // A second Platform Admin: the demo's approver policy wants two people for production waves.
  { user: 'oncall-admin@demo', displayName: 'Omar On-call (platform)', groups: ['fleet-platform-admins'], role: 'platform-admin' },
] as const satisfies readonly { user: string; displayName: string; groups: readonly string[]; role: Role }[];

export const DemoUserId = z.enum(DEMO_USERS.map((u) => u.user) as [string, ...string[]], {
  error: (issue) =>
    `unknown demo user${typeof issue.input === 'string' ? ` "${issue.input}"` : ''}; expected one of ${DEMO_USERS.map((u) => u.user).join(', ')}`,
});

/** GET /api/auth/demo/login?as=<user> */
export const DemoLoginQuery = z.strictObject({ as: DemoUserId });

/** GET /api/auth/config: what the sign-in page needs to know before anyone is signed in. */
export const AuthConfig = z.object({
  mode: z.enum(['demo', 'oidc']),
  demoUsers: z.array(z.object({ user: z.string(), displayName: z.string(), role: Role })),
  /** OIDC mode: where the "Sign in" button goes. */
  loginUrl: z.optional(z.string()),
});

/**
 * GET /api/auth/login?returnTo=/fleet: starts OIDC sign-in. returnTo must be a path on this site.
 * `stepUp=mfa`: sign in again now, with multi-factor authentication (approvals that need it).
 */
export const LoginQuery = z.strictObject({
  returnTo: z.optional(z.string().check(z.maxLength(2048))),
  stepUp: z.optional(z.literal('mfa')),
});

/** GET /api/auth/callback: whatever the provider sends back, each parameter once. */
export const CallbackQuery = z.record(z.string(), z.string().check(z.maxLength(4096)));

/** POST /api/auth/logout answer: where to go to end the provider's session too, if anywhere. */
export const LogoutResult = z.object({ endSessionUrl: z.optional(z.string()) });
export type LogoutResult = z.infer<typeof LogoutResult>;
export type AuthConfig = z.infer<typeof AuthConfig>;
