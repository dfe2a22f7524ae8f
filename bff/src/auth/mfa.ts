import type { Principal } from '@fleetdeck/shared';

/**
 * Multi-factor sign-in, as far as Fleetdeck can know it: what the provider's ID token says.
 *
 * - `amr` (RFC 8176) containing `"mfa"`. Other values name single methods (`otp`, `hwk`,
 *   `swk`, `sms`, `fpt`, …); which combinations make two factors is the provider's call,
 *   and providers that know they used two say `"mfa"` too. So only `"mfa"` counts here; a
 *   provider that never says it is configured by its `acr` instead.
 * - `acr` equal to one of `promotion.mfa.acceptAcr` (the provider's names for its
 *   multi-factor level, e.g. `http://schemas.openid.net/pape/policies/2007/06/multi-factor`).
 *
 * Anything malformed (an `amr` that is not an array, a non-string `acr`) counts as no MFA.
 */
export function mfaFromClaims(claims: Record<string, unknown>, acceptAcr: readonly string[]): boolean {
  const { amr, acr } = claims;
  if (Array.isArray(amr) && amr.includes('mfa')) return true;
  return typeof acr === 'string' && acceptAcr.includes(acr);
}

/**
 * The extra authorization parameters of a step-up sign-in: the provider must sign the
 * person in again now (`prompt=login`, and `max_age=0` for providers that honour only one
 * of them), at the configured multi-factor level when one is named (`acr_values`).
 */
export function stepUpParameters(acrValues: string | undefined): Record<string, string> {
  return { prompt: 'login', max_age: '0', ...(acrValues !== undefined && { acr_values: acrValues }) };
}

/**
 * A renewed principal keeps the MFA of the sign-in it renews, whatever the refreshed ID
 * token says: a refresh-token grant authenticates nobody, so it can neither prove a second
 * factor nor undo one. (oidc-provider, Okta and Entra ID copy the original `amr`/`acr` into
 * the refreshed token; others drop them, which must not sign the person out of their MFA.)
 * The session's absolute lifetime bounds how long a proof lasts.
 */
export function keepSignInMfa(signedIn: Principal, renewed: Principal): Principal {
  const { mfa: _ignored, ...rest } = renewed;
  return signedIn.mfa === undefined ? rest : { ...rest, mfa: signedIn.mfa };
}
