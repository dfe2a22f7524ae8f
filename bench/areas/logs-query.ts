import { readFileSync } from 'node:fs';

import type { Cluster } from '@fleetdeck/shared';

import { enforceLogQLPerGroup, logAccessFor } from '../../bff/src/access/logql/index.ts';
import { DEFAULT_ACCESS_POLICY } from '../../bff/src/access/policy.ts';
import { resolveScope } from '../../bff/src/access/resolve-scope.ts';
import type { Person } from './rollouts-setup.ts';
import { benchStream, ns, push, type PushStream } from './logs-push.ts';

export const QUERY_LINES = 5000;
/**
 * Untimed calls first, per person. With 3 (or 20), whoever was measured first paid for V8
 * still optimising the BFF's hot paths: the Platform Admin's BFF CPU per query was 8.3–9.3 ms
 * measured first and 4.8–5.5 ms measured after the Developer; after 150 it was 5.3 ms first.
 */
const WARM_UP = 150;
const APP = 'logsbench-query';

interface StreamsAnswer {
  status: string;
  data: { resultType: string; result: { stream: Record<string, string>; values: [string, string][] }[] };
}

/**
 * Seeds the lines the 5,000-line query reads: 5,000 in the Developer's own namespace of
 * their staging cluster, and 3,000 more the Developer may not read (another tenant's
 * cluster, and their own tenant's production cluster), so the enforcer has something to
 * cut; the Platform Admin's answer is capped at 5,000 by the limit. Spread over 10
 * minutes before `now` and over 5 pods.
 */
export async function seedQueryLines(lokiUrl: string, now: number): Promise<void> {
  const streams: PushStream[] = [];
  const add = (cluster: string, namespace: string, n: number) => {
    for (let p = 0; p < 5; p++) {
      const values: [string, string][] = [];
      for (let i = p; i < n; i += 5)
        values.push([ns(now - 600_000 + Math.floor((i * 600_000) / n)), `level=info msg="bench line ${i}" cluster=${cluster} n=${i}`]);
      streams.push({ stream: benchStream(APP, cluster, namespace, `bench-${p}`), values });
    }
  };
  add('client-a-staging', 'client-a-apps', QUERY_LINES);
  add('prod-eu-west', 'client-b-apps', 2000);
  add('prod-us-east', 'client-a-apps', 1000);
  await push(lokiUrl, streams);
}

export interface QueryCase {
  /** The path and query string of the BFF's Loki-compatible route. */
  bffPath: string;
  /** The same request, each enforced per-group query sent straight to the stand-in. */
  direct: () => Promise<number>;
  /** The direct request through a bare pass-through proxy at `proxyUrl` (bench/lib/bare-proxy.ts). */
  proxied: (proxyUrl: string) => Promise<number>;
  /** Checks an answer through the BFF: line count and whose lines. */
  check(body: unknown): void;
}

/**
 * `{app="logsbench-query"}` over the last 15 minutes, limit 5,000, for one person: through
 * the BFF (`/api/loki/api/v1/query_range`), and the naive/direct way — the query the BFF's
 * enforcer produces for each of the person's access groups, sent by the bench itself to the
 * stand-in (what a client with its own Loki access and the same rules would do).
 */
export function queryCase(
  lokiUrl: string,
  principal: { user: string; groups: string[] },
  clusters: readonly Cluster[],
  now: number,
): QueryCase {
  const query = `{app="${APP}"}`;
  const params = { limit: String(QUERY_LINES), start: ns(now - 900_000), end: ns(now + 60_000), direction: 'backward' };
  const access = logAccessFor(resolveScope(principal, DEFAULT_ACCESS_POLICY), clusters);
  const per = enforceLogQLPerGroup(query, access);
  if ('error' in per) throw new Error(`the enforcer refused the bench query for ${principal.user}: ${per.error}`);
  const developer = principal.groups.some((g) => g.endsWith('-developers'));
  const sendDirect = async (base: string) => {
    const answers = await Promise.all(
      per.queries.map(async ({ query: q }) => {
        const res = await fetch(`${base}/loki/api/v1/query_range?${new URLSearchParams({ query: q, ...params })}`);
        const body = (await res.json()) as StreamsAnswer;
        if (!res.ok) throw new Error(`the stand-in answered ${res.status}`);
        return body.data.result.reduce((n, s) => n + s.values.length, 0);
      }),
    );
    return answers.reduce((a, b) => a + b, 0);
  };
  return {
    bffPath: `/api/loki/api/v1/query_range?${new URLSearchParams({ query, ...params })}`,
    direct: () => sendDirect(lokiUrl),
    proxied: (proxyUrl) => sendDirect(proxyUrl),
    check: (body) => {
      const result = (body as StreamsAnswer).data.result;
      const lines = result.reduce((n, s) => n + s.values.length, 0);
      if (lines !== QUERY_LINES) throw new Error(`${principal.user}: ${lines} lines through the BFF, expected ${QUERY_LINES}`);
      if (developer && result.some((s) => s.stream.cluster !== 'client-a-staging' || s.stream.namespace !== 'client-a-apps'))
        throw new Error(`${principal.user}: the BFF answered lines outside the Developer's scope`);
    },
  };
}

/** CPU seconds a process has used (user + system), from /proc: what a call costs whatever the machine's load. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

export interface QueryTimes {
  bff: number[];
  direct: number[];
  /** The direct request through the bare pass-through proxy: what one more hop costs at all. */
  proxied: number[];
  /** Mean CPU ms per call: the BFF's, and the stand-in's (its testbed daemon) on either path. */
  bffCpu: number;
  standinCpuViaBff: number;
  standinCpuDirect: number;
}

/**
 * Sequential timed calls after a warm-up (WARM_UP): through the BFF (body read and parsed), direct,
 * and direct through a bare pass-through proxy, interleaved; with the CPU the BFF and the stand-in spent on each path, which a
 * loaded machine does not distort the way it does wall-clock times.
 */
export async function timeQuery(
  person: Person,
  c: QueryCase,
  n: number,
  pids: { bff: number; standin: number },
  proxyUrl: string,
): Promise<QueryTimes> {
  const out = { bff: [] as number[], direct: [] as number[], proxied: [] as number[] };
  const cpu = { bff: 0, standinViaBff: 0, standinDirect: 0 };
  // Interleaved, so a burst of load on the shared machine hits both sides alike.
  for (let i = 0; i < n + WARM_UP; i++) {
    const [b0, s0] = [cpuSeconds(pids.bff), cpuSeconds(pids.standin)];
    let t = performance.now();
    const res = await person.get(c.bffPath);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${c.bffPath} answered ${res.status}: ${text.slice(0, 300)}`);
    const body: unknown = JSON.parse(text);
    const bff = performance.now() - t;
    if (i === 0) c.check(body);
    const [b1, s1] = [cpuSeconds(pids.bff), cpuSeconds(pids.standin)];
    t = performance.now();
    const lines = await c.direct();
    const direct = performance.now() - t;
    const s2 = cpuSeconds(pids.standin);
    if (lines < QUERY_LINES) throw new Error(`the direct query returned ${lines} lines, expected ${QUERY_LINES}`);
    t = performance.now();
    const proxiedLines = await c.proxied(proxyUrl);
    const proxied = performance.now() - t;
    if (proxiedLines !== lines) throw new Error(`the bare proxy passed on ${proxiedLines} lines, direct ${lines}`);
    if (i >= WARM_UP) {
      out.bff.push(bff);
      out.direct.push(direct);
      out.proxied.push(proxied);
      cpu.bff += b1 - b0;
      cpu.standinViaBff += s1 - s0;
      cpu.standinDirect += s2 - s1;
    }
  }
  // To a tenth of a millisecond: /proc counts in 10 ms ticks, which over 600 calls is under 0.02 ms a call.
  const perCall = (sec: number) => Math.round((sec * 1000 * 10) / n) / 10;
  return { ...out, bffCpu: perCall(cpu.bff), standinCpuViaBff: perCall(cpu.standinViaBff), standinCpuDirect: perCall(cpu.standinDirect) };
}

/**
 * The BFF's CPU per call for the same request cut to one line (`limit=1`): its fixed cost
 * per query (session, access, enforcement, one upstream call), so the 5,000-line figure
 * can be read as fixed cost + cost of the lines.
 */
export async function oneLineCpu(person: Person, c: QueryCase, n: number, bffPid: number): Promise<number> {
  const path = c.bffPath.replace(`limit=${QUERY_LINES}`, 'limit=1');
  if (path === c.bffPath) throw new Error('the bench query has no limit to cut');
  let cpu = 0;
  for (let i = 0; i < n + WARM_UP; i++) {
    const c0 = cpuSeconds(bffPid);
    const res = await person.get(path);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    if (i >= WARM_UP) cpu += cpuSeconds(bffPid) - c0;
  }
  return Math.round((cpu * 1000 * 10) / n) / 10;
}
