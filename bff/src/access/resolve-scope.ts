import type { Grant, Principal, Scope } from '@fleetdeck/shared';

import type { AccessPolicy, Binding } from './policy.ts';

/**
 * Maps a person to the union of what their bindings grant. Pure: the same principal
 * and policy always give the same scope. Groups that no binding names grant nothing.
 */
export function resolveScope(principal: Pick<Principal, 'user' | 'groups'>, policy: AccessPolicy): Scope {
  const grants: Grant[] = [];
  for (const binding of policy.bindings) {
    for (const tenant of matchBinding(binding, principal)) {
      const tenants = tenant === undefined ? binding.tenants! : [tenant];
      grants.push({
        role: binding.role,
        tenants,
        environments: binding.environments,
        namespaces: substituteTenant(binding.namespaces, tenant),
        verbs: [...(policy.roles[binding.role] ?? [])],
      });
    }
  }
  return { grants };
}

/**
 * Which tenants a binding grants this person: `[undefined]` for a binding with a fixed
 * `tenants` list, one captured id per matching group for a pattern, `[]` for no match.
 */
function matchBinding(binding: Binding, principal: Pick<Principal, 'user' | 'groups'>): (string | undefined)[] {
  if (binding.user !== undefined) return binding.user === principal.user ? [undefined] : [];
  if (binding.group !== undefined) return principal.groups.includes(binding.group) ? [undefined] : [];
  const [prefix, suffix] = binding.groupPattern!.split('{tenant}') as [string, string];
  const tenants = new Set<string>();
  for (const group of principal.groups) {
    if (group.length <= prefix.length + suffix.length) continue;
    if (!group.startsWith(prefix) || !group.endsWith(suffix)) continue;
    tenants.add(group.slice(prefix.length, group.length - suffix.length));
  }
  return [...tenants];
}

function substituteTenant(list: Grant['namespaces'], tenant: string | undefined): Grant['namespaces'] {
  if (list === '*' || tenant === undefined) return list;
  return list.map((ns) => ns.replaceAll('{tenant}', tenant));
}
