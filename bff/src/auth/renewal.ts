import type { Principal } from '@fleetdeck/shared';

/** A renewed sign-in: the principal as the provider now describes it (already admitted), and a rotated refresh token if it sent one. */
export interface Renewal {
  principal: Principal;
  refreshToken?: string;
}

/**
 * Renews a sign-in with the provider. Throws `RenewalRefused` when the provider (or the
 * access policy) definitively refuses the person; any other error means "could not
 * reach the provider" and keeps the session.
 */
export type Renew = (refreshToken: string) => Promise<Renewal>;

export class RenewalRefused extends Error {
  override name = 'RenewalRefused';
}

/** An unreachable provider is asked again at most this often per session. */
export const RENEW_RETRY_MS = 60_000;

export const RENEWAL_REFUSED = 'your sign-in could not be renewed with the identity provider';
