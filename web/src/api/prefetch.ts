/**
 * A route loader's prefetch: takes the queryClient.ensureQueryData(...) calls that start
 * each query (or reuse its cached answer) while the route's code loads, without waiting
 * for them and without failing the navigation; the page shows its own loading and error
 * states from the same cache entries.
 */
export function prefetch(...started: Promise<unknown>[]): void {
  for (const p of started) void p.catch(() => undefined);
}
