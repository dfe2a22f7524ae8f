import type { Cluster, LokiQueryData } from '@fleetdeck/shared';
import {
  LogQLError,
  evaluateInstant,
  evaluateRange,
  labelNames,
  labelValues,
  matchingLabelSets,
  parseLogQL,
  tailStreams,
  type LogQuery,
  type QueryResultData,
  type StreamResult,
} from '@fleetdeck/shared/logql-eval';

import { LokiError } from '../../loki/loki-client.ts';
import type {
  LokiApi,
  LokiInstantParams,
  LokiRangeParams,
  LokiSpan,
  LokiTail,
  LokiTailHandlers,
  LokiTailParams,
  OrgIds,
} from '../../loki/loki-api.ts';
import { DemoStoredStream } from './demo-log-stream.ts';
import { DemoLogStore } from './demo-log-store.ts';

export interface DemoLogOptions {
  /** The demo inventory's clusters (read on every call: the fleet may change). */
  clusters: () => readonly Cluster[];
  now?: () => number;
  /** Live tail: new lines are looked for this often. */
  tailIntervalMs?: number;
  /**
   * `loki.tenantOrgIds` when configured: a query for some org ids reads only the
   * clusters of the tenants mapped to them, as a multi-tenant Loki would.
   */
  tenantOrgIds?: Readonly<Record<string, string>>;
  /** Lines one query may read (the evaluator's budget). */
  readBudget?: number;
}

const NS_PER_MS = 1_000_000n;

/**
 * The demo fleet's Loki: the same LokiApi as the HTTP client, answered in memory from
 * generated streams (see demo-log-catalog.ts) by the project's one LogQL evaluator.
 * Never reaches a real system. Queries that the evaluator refuses are "refused" like a
 * Loki 4xx.
 */
export class DemoLogSource implements LokiApi {
  readonly store: DemoLogStore;
  readonly #now: () => number;
  readonly #tailIntervalMs: number;
  readonly #orgs: Readonly<Record<string, string>> | undefined;
  readonly #budget: number | undefined;

  constructor(options: DemoLogOptions) {
    this.store = new DemoLogStore(options.clusters);
    this.#now = options.now ?? Date.now;
    this.#tailIntervalMs = options.tailIntervalMs ?? 1000;
    this.#orgs = options.tenantOrgIds;
    this.#budget = options.readBudget;
  }

  #nowNs(): bigint {
    return BigInt(this.#now()) * NS_PER_MS;
  }

  /** The tenants an org-id list reaches (undefined: all). */
  #tenants(orgIds: OrgIds): Set<string> | undefined {
    if (orgIds === undefined || this.#orgs === undefined) return undefined;
    const wanted = new Set(orgIds);
    return new Set(Object.entries(this.#orgs).flatMap(([tenant, org]) => (wanted.has(org) ? [tenant] : [])));
  }

  #run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      if (err instanceof LogQLError) return Promise.reject(new LokiError(err.message, 'refused'));
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  queryRange(p: LokiRangeParams, orgIds: OrgIds): Promise<LokiQueryData> {
    return this.#run(() =>
      withoutStats(
        evaluateRange(this.store.at(this.#nowNs(), this.#tenants(orgIds)), p, { ...(this.#budget && { readBudget: this.#budget }) }),
      ),
    );
  }

  query(p: LokiInstantParams, orgIds: OrgIds): Promise<LokiQueryData> {
    return this.#run(() =>
      withoutStats(
        evaluateInstant(this.store.at(this.#nowNs(), this.#tenants(orgIds)), p, { ...(this.#budget && { readBudget: this.#budget }) }),
      ),
    );
  }

  labels(selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]> {
    return this.#run(() => labelNames(this.store.at(this.#nowNs(), this.#tenants(orgIds)), selector, span));
  }

  labelValues(name: string, selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]> {
    return this.#run(() => labelValues(this.store.at(this.#nowNs(), this.#tenants(orgIds)), name, selector, span));
  }

  series(selectors: readonly string[], span: LokiSpan, orgIds: OrgIds): Promise<Record<string, string>[]> {
    return this.#run(() => matchingLabelSets(this.store.at(this.#nowNs(), this.#tenants(orgIds)), selectors, span).map((l) => ({ ...l })));
  }

  /**
   * Loki's tail: first the lines since `start` (oldest first, at most `limit`), then every
   * tailIntervalMs the lines written since, `delay_for` behind now. A frame holds at most
   * `limit` lines; older ones over it are dropped and counted, as Loki does for slow readers.
   */
  tail(p: LokiTailParams, orgIds: OrgIds, handlers: LokiTailHandlers): LokiTail {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (error) handlers.onClose(error);
      else handlers.onClose();
    };
    queueMicrotask(() => {
      if (closed) return;
      let query: LogQuery;
      try {
        const q = parseLogQL(p.query);
        if (q.kind !== 'log') throw new LogQLError('tail takes a log query');
        query = q;
      } catch (err) {
        return finish(err instanceof LogQLError ? new LokiError(err.message, 'refused') : (err as Error));
      }
      const tenants = this.#tenants(orgIds);
      const delayNs = BigInt(Math.max(0, Math.min(5, p.delayForSeconds)) * 1000) * NS_PER_MS;
      const streams = [...this.store.catalogue(query.matchers, tenants)];
      const count = () => void this.store.generated++;
      const send = (from: bigint, to: bigint) => {
        const found: StreamResult[] = [];
        for (const s of streams) {
          const stored = new DemoStoredStream(s, to - 1n, count);
          found.push(...tailStreams(query, s.labels, stored.entries(from, to, 'forward')));
        }
        const { frame, dropped } = capFrame(found, p.limit);
        if (frame.length > 0 || dropped > 0) handlers.onFrame({ streams: frame, dropped });
      };
      handlers.onOpen();
      let last = this.#nowNs() - delayNs;
      try {
        // History first, oldest first from `start` as Loki's tail sends it; generated lazily up to the limit.
        const history = evaluateRange(this.store.at(last - 1n, tenants), {
          query,
          start: p.start,
          end: last,
          limit: p.limit,
          direction: 'forward',
        });
        if (history.resultType === 'streams' && history.result.length > 0) handlers.onFrame({ streams: history.result, dropped: 0 });
      } catch (err) {
        return finish(err instanceof LogQLError ? new LokiError(err.message, 'refused') : (err as Error));
      }
      timer = setInterval(() => {
        const end = this.#nowNs() - delayNs;
        if (end <= last) return;
        try {
          send(last, end);
        } catch (err) {
          finish(err as Error);
        }
        last = end;
      }, this.#tailIntervalMs);
      timer.unref();
    });
    return { close: () => finish() };
  }
}

function withoutStats(data: QueryResultData): LokiQueryData {
  const { stats: _stats, ...rest } = data;
  return rest;
}

/** The newest `limit` entries of a frame (streams and their values oldest first), and how many were left out. */
export function capFrame(streams: StreamResult[], limit: number): { frame: StreamResult[]; dropped: number } {
  const total = streams.reduce((n, s) => n + s.values.length, 0);
  if (total <= limit) return { frame: streams.filter((s) => s.values.length > 0), dropped: 0 };
  const all = streams.flatMap((s) => s.values.map((v) => ({ s, v, ts: BigInt(v[0]) })));
  all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const kept = new Set(all.slice(total - limit).map((x) => x.v));
  return {
    frame: streams.map((s) => ({ stream: s.stream, values: s.values.filter((v) => kept.has(v)) })).filter((s) => s.values.length > 0),
    dropped: total - limit,
  };
}
