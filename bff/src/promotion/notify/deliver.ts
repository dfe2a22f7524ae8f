import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One webhook delivery: POST with a timeout, retried with exponential back-off. 2xx is
 * delivered; a 4xx other than 408/429 will not get better by repeating it, nor will a
 * redirect (never followed: a webhook must not be bounced to another host), so both stop
 * at once; timeouts, network errors, 408, 429 and 5xx are retried.
 */

export interface RetryPolicy {
  attempts: number;
  /** Delay before the second attempt; doubled for each one after. */
  backoffMs: number;
  timeoutMs: number;
}

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type DeliveryResult = { delivered: true; attempts: number } | { delivered: false; attempts: number; error: string };

type AttemptOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

/** A back-off never waits longer than this, whatever attempts × backoffSeconds says. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** The wait after the `failedAttempt`-th attempt (1-based) failed. */
export function backoffDelayMs(failedAttempt: number, backoffMs: number): number {
  return Math.min(backoffMs * 2 ** (failedAttempt - 1), MAX_BACKOFF_MS);
}

/** The waits between attempts, in order (attempts − 1 of them). */
export function retrySchedule(policy: Pick<RetryPolicy, 'attempts' | 'backoffMs'>): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => backoffDelayMs(i + 1, policy.backoffMs));
}

export function classifyStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  if (status >= 300 && status < 400) return { ok: false, retry: false, error: `answered ${status} (redirects are not followed)` };
  if (status === 408 || status === 429 || status >= 500) return { ok: false, retry: true, error: `answered ${status}` };
  return { ok: false, retry: false, error: `answered ${status}` };
}

/** Never the URL (a Slack webhook URL is itself a secret) nor the token: only what went wrong. */
function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  return 'network error';
}

async function attempt(req: DeliveryRequest, timeoutMs: number, signal: AbortSignal, fetchImpl: typeof fetch): Promise<AttemptOutcome> {
  try {
    const res = await fetchImpl(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]),
    });
    // Free the connection; the receiver's answer body is of no use to us.
    await res.body?.cancel().catch(() => undefined);
    return classifyStatus(res.status);
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, retry: true, error: describeError(err, timeoutMs) };
  }
}

/**
 * Delivers or gives up; rejects only when `signal` aborts (the notifier is stopping).
 * `onRetry` hears each failed attempt that will be retried (for the log).
 */
export async function deliver(
  req: DeliveryRequest,
  policy: RetryPolicy,
  signal: AbortSignal,
  options: { fetch?: typeof fetch; onRetry?: (attempt: number, error: string, delayMs: number) => void } = {},
): Promise<DeliveryResult> {
  const fetchImpl = options.fetch ?? fetch;
  for (let n = 1; ; n++) {
    const outcome = await attempt(req, policy.timeoutMs, signal, fetchImpl);
    if (outcome.ok) return { delivered: true, attempts: n };
    if (!outcome.retry || n >= policy.attempts) return { delivered: false, attempts: n, error: outcome.error };
    const delay = backoffDelayMs(n, policy.backoffMs);
    options.onRetry?.(n, outcome.error, delay);
    await sleep(delay, undefined, { signal });
  }
}
