/** Pushing lines to the testbed's Loki-API stand-in during a journey, as Promtail would. */

export interface PushStream {
  stream: Record<string, string>;
  values: [string, string][];
}

/** One line now in a pod's stream, labelled as Promtail labels it (plus `source`, the test's own label). */
export function line(source: string, cluster: string, namespace: string, text: string): PushStream {
  return {
    stream: { source, cluster, namespace, pod: 'e2e-0', container: 'e2e' },
    values: [[(BigInt(Date.now()) * 1_000_000n).toString(), text]],
  };
}

export async function pushLines(lokiUrl: string, streams: PushStream[]): Promise<void> {
  const res = await fetch(`${lokiUrl}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streams }),
  });
  if (res.status !== 204) throw new Error(`push to the Loki stand-in answered ${res.status}: ${await res.text()}`);
}
