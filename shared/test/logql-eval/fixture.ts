import { ArrayStream, type LogStore } from '../../src/logql-eval/index.ts';

/** Unix ns of second `s` after a fixed origin. */
export const T0 = 1_764_000_000_000_000_000n;
export const at = (s: number) => T0 + BigInt(Math.round(s * 1000)) * 1_000_000n;

/** An in-memory store from `[labels, [[second, line], …]]`. */
export function store(streams: [Record<string, string>, [number, string][]][]): LogStore {
  const all = streams.map(([labels, entries]) => {
    const s = new ArrayStream(labels);
    s.add(entries.map(([sec, line]) => [at(sec), line] as const));
    return s;
  });
  return { streams: () => all };
}

export const WEB = { cluster: 'prod-us-east', namespace: 'client-a-apps', pod: 'web-0', container: 'web' };
export const API = { cluster: 'prod-us-east', namespace: 'client-a-apps', pod: 'api-0', container: 'api' };
export const OTHER = { cluster: 'prod-eu-west', namespace: 'client-b-apps', pod: 'web-0', container: 'web' };

/** A small fleet: plain, JSON and logfmt lines over 60 s. */
export const fleet = store([
  [
    WEB,
    [
      [1, 'GET /healthz 200 1ms'],
      [2, 'level=error msg="connection refused" upstream=inventory'],
      [3, 'GET /api/orders 500 41ms'],
    ],
  ],
  [
    API,
    [
      [10, '{"level":"info","msg":"order placed","status":201,"latency_ms":23,"http":{"method":"POST"}}'],
      [20, '{"level":"warn","msg":"slow upstream","status":200,"latency_ms":812}'],
      [30, '{"level":"error","msg":"db timeout","status":503,"latency_ms":5000}'],
      [40, 'not json at all'],
    ],
  ],
  [
    OTHER,
    [
      [5, 'level=info msg="served" status=200 duration=12'],
      [50, 'level=error msg="timeout" status=504 duration=3000'],
    ],
  ],
]);
