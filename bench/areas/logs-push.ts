/** Pushing lines to the testbed's Loki-API stand-in over its HTTP push API, as Promtail would. */

export interface PushStream {
  stream: Record<string, string>;
  values: [string, string][];
}

/** Unix nanoseconds of a millisecond time, as Loki's string timestamps. */
export const ns = (ms: number, offset = 0): string => (BigInt(ms) * 1_000_000n + BigInt(offset)).toString();

export async function push(lokiUrl: string, streams: PushStream[]): Promise<void> {
  const res = await fetch(`${lokiUrl}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streams }),
  });
  if (res.status !== 204) throw new Error(`push to the Loki stand-in answered ${res.status}: ${await res.text()}`);
}

/** The labels Promtail gives a pod's container, on the bench's own `app` label so its queries see only its lines. */
export function benchStream(app: string, cluster: string, namespace: string, pod = 'bench-0'): Record<string, string> {
  return { app, cluster, namespace, pod, container: 'bench' };
}

/** A token no other line carries, to recognise one pushed line wherever it arrives. */
let seq = 0;
export const token = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq++}`;
