import type { Principal } from '@fleetdeck/shared';

import { HttpProblem } from '../lib/problem.ts';
import type { AccessPolicy, Binding } from './policy.ts';

/** Whether a binding names this group (exactly, or as its `{tenant}` pattern with a non-empty tenant). */
function names(binding: Binding, group: string): boolean {
  if (binding.group !== undefined) return binding.group === group;
  if (binding.groupPattern === undefined) return false;
  const [prefix, suffix] = binding.groupPattern.split('{tenant}') as [string, string];
  return group.length > prefix.length + suffix.length && group.startsWith(prefix) && group.endsWith(suffix);
}

/** The groups some binding of the policy names; every other group grants nothing and is dropped. */
export function groupsThePolicyNames(policy: AccessPolicy, groups: readonly string[]): string[] {
  return [...new Set(groups)].filter((g) => policy.bindings.some((b) => names(b, g)));
}

const SYSTEM = /^system:/i;

/**
 * What a person signing in becomes: their user name, and only the groups the access
 * policy names — so an identity provider's list of any size neither overflows the
 * session cookie nor is forwarded to Kubernetes as `Impersonate-Group`. Kubernetes'
 * reserved `system:` names (service accounts, nodes, `system:masters`) are refused:
 * impersonating one would be borrowing the cluster's own identities.
 */
export function admitPrincipal(principal: Principal, policy: AccessPolicy): Principal {
  if (SYSTEM.test(principal.user)) {
    throw new HttpProblem(403, 'sign-in refused: user names starting with "system:" are reserved for Kubernetes itself');
  }
  const reserved = principal.groups.filter((g) => SYSTEM.test(g));
  if (reserved.length > 0) {
    throw new HttpProblem(
      403,
      'sign-in refused: your identity provider sent a group starting with "system:", which is reserved for Kubernetes itself',
    );
  }
  return { ...principal, groups: groupsThePolicyNames(policy, principal.groups) };
}
