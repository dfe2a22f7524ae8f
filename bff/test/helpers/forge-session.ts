import { randomBytes } from 'node:crypto';

import { sealData } from 'iron-session';

import type { Principal } from '@fleetdeck/shared';

export const TEST_SESSION_SECRET = 'test-only-secret-test-only-secret-0123456789';

/**
 * A session cookie for any principal, sealed with the test BFF's secret. Integration
 * tests use it to act as people no sign-in flow offers (no roles at all, odd groups),
 * exercising the enforcement layer exactly as a real session would.
 */
export async function forgeSessionCookie(principal: Principal, options: { issuedAt?: number; lastSeenAt?: number } = {}): Promise<string> {
  const now = Date.now();
  const sealed = await sealData(
    {
      sid: randomBytes(18).toString('base64url'),
      principal,
      issuedAt: options.issuedAt ?? now,
      lastSeenAt: options.lastSeenAt ?? now,
      csrf: randomBytes(24).toString('base64url'),
    },
    { password: TEST_SESSION_SECRET, ttl: 8 * 3600 },
  );
  return `fleetdeck_session=${sealed}`;
}
