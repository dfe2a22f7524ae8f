import { expect } from 'vitest';

/** One line per stream, stamped now, pushed to the testbed's Loki-API stand-in (as a log shipper would). */
export async function pushLines(
  loki: { url: string; multiTenant?: boolean },
  streams: { labels: Record<string, string>; line: string }[],
): Promise<void> {
  const res = await fetch(`${loki.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(loki.multiTenant && { 'x-scope-orgid': 'fake' }) },
    body: JSON.stringify({
      streams: streams.map((s) => ({ stream: s.labels, values: [[(BigInt(Date.now()) * 1_000_000n).toString(), s.line]] })),
    }),
  });
  expect(res.status).toBe(204);
}
