import { QueryClient } from '@tanstack/react-query';

import { ApiError } from './client.ts';

/** Client errors (400/401/403/404) will not heal on retry; network errors and 5xx may. */
export function retryUnlessClientError(failureCount: number, error: unknown): boolean {
  return failureCount < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);
}

/** How long an answer counts as fresh unless its query says otherwise. */
export const DEFAULT_STALE_TIME = 15_000;

/**
 * The one query policy of the app: retry unless the BFF said no (4xx), a default
 * stale time, and errors left to each page's ErrorPanel (never thrown into the
 * router's error boundary). Queries set only what differs: their stale time and
 * polling interval.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryUnlessClientError, staleTime: DEFAULT_STALE_TIME, throwOnError: false },
      mutations: { retry: false, throwOnError: false },
    },
  });
}
