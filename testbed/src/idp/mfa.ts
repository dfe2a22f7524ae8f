/**
 * The testbed provider's second factor, shared by the provider and the browser that drives
 * sign-ins (no `oidc-provider` import here, so tests of the BFF can use it).
 *
 * A sign-in with the one-time code gets `amr: ["pwd", "otp", "mfa"]` (RFC 8176 values) and
 * `acr: MFA_ACR`; without it `amr: ["pwd"]` and `acr: PASSWORD_ACR`. An authorization request
 * whose `acr_values` names MFA_ACR (a step-up) cannot finish without the code.
 */
export const MFA_ACR = 'urn:fleetdeck:mfa';
export const PASSWORD_ACR = 'urn:fleetdeck:pwd';
/** Every testbed user's one-time code unless their entry names another. Test data, not a secret. */
export const TESTBED_OTP = '246810';

/** What the provider's login page says it was asked for (its `data-*` attributes), as tests read it. */
export interface LoginPageSeen {
  url: string;
  /** The provider's reasons for asking the person to sign in (`no_session`, `login_prompt`, `max_age`, …). */
  reasons: string[];
  acrValues?: string;
  maxAge?: string;
  /** The request's `prompt` (oidc-provider turns `max_age=0` into `login`). */
  prompt?: string;
  /** The page demands the one-time code (the request asked for MFA_ACR). */
  secondFactorRequired: boolean;
}
