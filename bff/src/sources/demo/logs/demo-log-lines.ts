import type { DemoLogStream } from './demo-log-catalog.ts';
import { hex, pick, unit } from './demo-log-hash.ts';

/**
 * The text of one demo log line: a pure function of the stream, its slot and its time.
 * Formats as real workloads write them — JSON (api, ingest), logfmt (worker, reports),
 * nginx (web), redis (cache), CoreDNS (kube-system) — with the level in the text too.
 */
export function lineOf(s: DemoLogStream, k: number, ms: number): string {
  const r = (salt: number) => unit(s.seed, k, salt);
  const n = (salt: number, max: number) => pick(s.seed, k, salt, max);
  const iso = isoOf(ms);
  const message = messageOf(s, k);
  switch (s.format) {
    case 'json': {
      // Built by hand (keys and numbers are ours; strings go through JSON.stringify): lines are made on every read.
      let out = `{"ts":"${iso}","level":"${s.level}","msg":${JSON.stringify(message.msg)}`;
      for (const [key, v] of Object.entries(message.fields)) out += `,"${key}":${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
      if (s.workload === 'api') out += `,"trace_id":"${hex(s.seed, k, 3, 16)}"`;
      return `${out}}`;
    }
    case 'logfmt':
      return [
        `ts=${iso}`,
        `level=${s.level}`,
        `msg=${JSON.stringify(message.msg)}`,
        ...Object.entries(message.fields).map(
          ([key, v]) => `${key}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`,
        ),
      ].join(' ');
    case 'nginx': {
      if (s.level === 'info' || s.level === 'debug') {
        const path = PATHS[n(4, PATHS.length)]!;
        const status = s.level === 'debug' ? 304 : r(5) < 0.9 ? 200 : 404;
        const d = new Date(ms);
        const stamp = `${String(d.getUTCDate()).padStart(2, '0')}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
        return `10.42.${n(6, 8)}.${n(7, 250) + 2} - - [${stamp}] "GET ${path} HTTP/1.1" ${status} ${n(8, 9000) + 200} "-" "Mozilla/5.0" ${(r(9) * 0.2).toFixed(3)}`;
      }
      const d = iso.slice(0, 19).replace('T', ' ').replace(/-/g, '/');
      return `${d} [${s.level}] 23#23: *${n(10, 90_000)} ${message.msg}`;
    }
    case 'redis': {
      const d = new Date(ms);
      const stamp = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
      const mark = { debug: '.', info: '*', warn: '#', error: '#' }[s.level];
      return `1:M ${stamp} ${mark} ${message.msg}`;
    }
    case 'coredns':
      if (s.level === 'info' || s.level === 'debug')
        return `[INFO] 10.42.${n(6, 8)}.${n(7, 250) + 2}:${n(11, 60_000) + 1024} - ${n(12, 65_535)} "A IN api.${s.cluster}.svc.cluster.local. udp 64 false 512" NOERROR qr,aa,rd 128 ${(r(9) / 1000).toFixed(6)}s`;
      return `[${s.level.toUpperCase()}] ${message.msg}`;
  }
}

let isoDay = -1;
let isoPrefix = '';
/** `Date#toISOString` without a Date per line: the day's prefix is cached. */
export function isoOf(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== isoDay) {
    isoDay = day;
    isoPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const t = ms - day * 86_400_000;
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const sec = Math.floor(t / 1000) % 60;
  const milli = t % 1000;
  return `${isoPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PATHS = ['/api/catalog', '/api/orders', '/api/cart', '/healthz', '/static/app.js', '/api/stores/nearby'];

interface Message {
  msg: string;
  fields: Record<string, string | number | boolean>;
}

/** What a line says, by workload and level; trouble changes the warnings and errors. */
function messageOf(s: DemoLogStream, k: number): Message {
  const n = (salt: number, max: number) => pick(s.seed, k, salt, max);
  if (s.trouble && (s.level === 'error' || s.level === 'warn')) return troubleMessage(s, k);
  const w = s.workload;
  if (s.level === 'debug')
    return w === 'api' || w === 'ingest'
      ? { msg: 'cache lookup', fields: { key: `cart:${n(20, 9999)}`, hit: n(21, 3) > 0 } }
      : { msg: 'heartbeat', fields: { queue_depth: n(20, 40) } };
  if (s.level === 'info') {
    if (w === 'api') {
      const path = PATHS[n(20, PATHS.length)]!;
      return { msg: 'request served', fields: { method: n(21, 4) === 0 ? 'POST' : 'GET', path, status: 200, latency_ms: n(22, 120) + 3 } };
    }
    if (w === 'ingest') return { msg: 'batch ingested', fields: { records: n(20, 5000) + 10, source: 'events', lag_ms: n(21, 900) } };
    if (w === 'worker')
      return { msg: 'job finished', fields: { job: JOBS[n(20, JOBS.length)]!, duration_ms: n(21, 4000) + 50, items: n(22, 300) } };
    if (w === 'reports')
      return { msg: 'report generated', fields: { report: 'daily-sales', rows: n(20, 20_000), duration_ms: n(21, 30_000) } };
    if (w === 'cache') return { msg: `${n(20, 100)} changes in 60 seconds. Saving...`, fields: {} };
    return { msg: 'ok', fields: {} };
  }
  if (s.level === 'warn') {
    if (w === 'web')
      return { msg: `upstream response time ${(1 + n(20, 40) / 10).toFixed(1)}s while reading response header from upstream`, fields: {} };
    if (w === 'cache')
      return { msg: 'WARNING overcommit_memory is set to 0! Background save may fail under low memory condition.', fields: {} };
    if (w === 'coredns') return { msg: 'plugin/kubernetes: watch of *v1.EndpointSlice ended with: too old resource version', fields: {} };
    return {
      msg: 'slow upstream',
      fields: { upstream: UPSTREAMS[n(20, UPSTREAMS.length)]!, latency_ms: n(21, 3000) + 800, retry: n(22, 3) },
    };
  }
  if (w === 'web')
    return {
      msg: `connect() failed (111: Connection refused) while connecting to upstream, upstream: "http://10.43.${n(20, 200)}.${n(21, 200)}:8080/"`,
      fields: {},
    };
  if (w === 'cache') return { msg: 'Error accepting a client connection: Too many open files', fields: {} };
  if (w === 'coredns') return { msg: 'plugin/errors: 2 api.internal. A: read udp: i/o timeout', fields: {} };
  const upstream = UPSTREAMS[n(20, UPSTREAMS.length)]!;
  return {
    msg: 'upstream request failed',
    fields: {
      upstream,
      error: `dial tcp 10.43.${n(21, 200)}.${n(22, 200)}:5432: connect: connection refused`,
      status: 503,
      attempt: n(23, 5) + 1,
    },
  };
}

const JOBS = ['invoice-sync', 'stock-reconcile', 'email-digest', 'price-refresh'];
const UPSTREAMS = ['payments', 'inventory', 'postgres', 'search'];

function troubleMessage(s: DemoLogStream, k: number): Message {
  const n = (salt: number, max: number) => pick(s.seed, k, salt, max);
  switch (s.trouble) {
    case 'rollout-failed':
      return s.level === 'error'
        ? {
            msg: 'dependency unavailable',
            fields: { dependency: 'web', image: 'registry.example.com/web:v3.1', reason: 'ImagePullBackOff', status: 503 },
          }
        : { msg: 'readiness probe failing for dependency', fields: { dependency: 'web', failures: n(30, 20) + 3 } };
    case 'hub-unreachable':
      return s.level === 'error'
        ? { msg: 'fleet agent: cannot reach hub', fields: { error: 'dial tcp: lookup hub.fleet.internal: i/o timeout', backoff: '30s' } }
        : { msg: 'buffering events while offline', fields: { buffered: n(30, 5000) + 100 } };
    default:
      return s.level === 'error'
        ? { msg: 'pod health check failed', fields: { error: 'context deadline exceeded', restarts: n(30, 12) + 1 } }
        : { msg: 'high memory pressure', fields: { rss_mb: n(30, 400) + 600, limit_mb: 1024 } };
  }
}
