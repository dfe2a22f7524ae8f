import type { Cluster } from '@fleetdeck/shared';
import type { LabelMatcher, LogStore, StoredStream } from '@fleetdeck/shared/logql-eval';

import { fleetTrouble, namespacesOf, streamsOf, type DemoLogStream, type Fleet } from './demo-log-catalog.ts';
import { DemoStoredStream } from './demo-log-stream.ts';

/** Streams of this many clusters are kept between reads; others are rebuilt (cheap) when read. */
const CATALOG_CACHE_CLUSTERS = 512;

/**
 * The demo fleet's logs as a LogStore: streams are enumerated cluster by cluster and
 * namespace by namespace, skipping those the query's `cluster` and `namespace`
 * matchers rule out before any stream is built, so a large synthetic fleet costs only
 * what a query touches. Memory: the stream catalogue of at most CATALOG_CACHE_CLUSTERS
 * clusters; lines are never stored.
 */
export class DemoLogStore {
  readonly #clusters: () => readonly Cluster[];
  readonly #cache = new Map<string, { cluster: Cluster; byNamespace: Map<string, DemoLogStream[]> }>();
  #fleet: { clusters: readonly Cluster[]; fleet: Fleet } | undefined;
  /** Lines generated so far (tests: the store generates what the limit needs, not the range). */
  generated = 0;

  /** Clusters whose stream catalogue is kept (at most CATALOG_CACHE_CLUSTERS). */
  get cachedClusters(): number {
    return this.#cache.size;
  }

  constructor(clusters: () => readonly Cluster[]) {
    this.#clusters = clusters;
  }

  #fleetOf(clusters: readonly Cluster[]): Fleet {
    if (this.#fleet?.clusters !== clusters) this.#fleet = { clusters, fleet: fleetTrouble(clusters) };
    return this.#fleet.fleet;
  }

  /** The catalogue of every matching stream (no lines). */
  *catalogue(matchers: readonly LabelMatcher[], tenants?: ReadonlySet<string>): Iterable<DemoLogStream> {
    const clusters = this.#clusters();
    const fleet = this.#fleetOf(clusters);
    const on = (name: string) => matchers.filter((m) => m.name === name);
    const clusterMatchers = on('cluster');
    const namespaceMatchers = on('namespace');
    for (const c of clusters) {
      if (tenants && !tenants.has(c.tenant)) continue;
      if (!clusterMatchers.every((m) => m.test(c.name))) continue;
      let entry = this.#cache.get(c.name);
      if (!entry || entry.cluster !== c) {
        entry = { cluster: c, byNamespace: new Map() };
        this.#cache.delete(c.name);
        this.#cache.set(c.name, entry);
        if (this.#cache.size > CATALOG_CACHE_CLUSTERS) this.#cache.delete(this.#cache.keys().next().value!);
      }
      for (const ns of namespacesOf(c)) {
        if (!namespaceMatchers.every((m) => m.test(ns))) continue;
        let streams = entry.byNamespace.get(ns);
        if (!streams) entry.byNamespace.set(ns, (streams = streamsOf(c, ns, fleet)));
        yield* streams;
      }
    }
  }

  /** A LogStore view at one instant (`nowNs`): nothing later exists yet. */
  at(nowNs: bigint, tenants?: ReadonlySet<string>): LogStore {
    const count = () => void this.generated++;
    return {
      streams: (matchers): Iterable<StoredStream> => {
        const catalogue = this.catalogue(matchers, tenants);
        return (function* () {
          for (const s of catalogue) yield new DemoStoredStream(s, nowNs, count);
        })();
      },
    };
  }
}
