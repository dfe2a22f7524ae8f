import type { Verb } from '@fleetdeck/shared';

import type { Permission, RouteDef } from '../services.ts';

export type { AnyRoute, HandlerArgs, Method, Permission, RouteDef, Services } from '../services.ts';

export const PUBLIC = { kind: 'public' } as const satisfies Permission;
export const AUTHENTICATED = { kind: 'authenticated' } as const satisfies Permission;
export const requires = <V extends Verb>(verb: V) => ({ kind: 'verb', verb }) as const satisfies Permission;

/** Keeps each route's handler typed by its own permission and schemas (path parameters included). */
export function defineRoute<P extends Permission, Q = Record<string, never>, B = undefined, Pa = Record<string, never>>(
  route: RouteDef<P, Q, B, Pa>,
): RouteDef<P, Q, B, Pa> {
  return route;
}
