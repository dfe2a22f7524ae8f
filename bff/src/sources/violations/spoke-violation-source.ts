import type { KubeConfig } from '@kubernetes/client-node';

import type {
  ClusterViolationFeed,
  NamespaceIsolation,
  PartialError,
  PolicyCoverage,
  Violation,
  ViolationTruncation,
} from '@fleetdeck/shared';

import type { Logger } from '../../lib/logger.ts';
import { computeCoverage } from './coverage.ts';
import { clusterIsolation, DEFAULT_TENANT_LABEL } from './isolation.ts';
import { SpokeCluster, type ClusterData } from './spoke-cluster.ts';
import type { NamespaceResultCounts, ViolationSnapshot, ViolationSource } from './violation-source.ts';

export interface SpokeViolationOptions {
  logger: Logger;
  now?: () => Date;
  /** The namespace label naming the tenant (isolation). */
  tenantLabel?: string;
  /** Changes within this window are announced once. */
  batchMs?: number;
  /** How long `start()` waits for a spoke's first list before serving without it. */
  startWaitMs?: number;
}

interface ClusterView {
  violations: Violation[];
  truncations: ViolationTruncation[];
  counts: NamespaceResultCounts[];
  coverage: PolicyCoverage[];
  isolation: NamespaceIsolation[];
  lastAuditAt?: string;
}

/**
 * The findings as served: one copy of each mapped finding, with the first time this
 * process saw it and (Kyverno) the policy's failure action filled in — a namespaced
 * Policy first, then the ClusterPolicy.
 */
function stamped(violations: Violation[], data: ClusterData, firstSeen: (id: string) => string): Violation[] {
  const byKey = new Map(data.kyverno.map((p) => [`${p.namespace ?? ''}/${p.name}`, p.action]));
  return violations.map((v) => {
    let action = v.action;
    if (v.engine === 'kyverno') {
      // Kyverno names a namespaced Policy's results "<namespace>/<name>" in newer versions.
      action = byKey.get(`${v.resource.namespace ?? ''}/${v.policy}`) ?? byKey.get(v.policy) ?? byKey.get(`/${v.policy}`) ?? action;
    }
    return { ...v, action, firstSeenAt: firstSeen(v.id) };
  });
}

function viewOf(cluster: string, data: ClusterData, tenantLabel: string, firstSeen: (id: string) => string): ClusterView {
  const counts = new Map<string, NamespaceResultCounts>();
  for (const r of data.reports) {
    if (!r.counts) continue;
    const c = counts.get(r.counts.namespace) ?? { cluster, namespace: r.counts.namespace, pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
    for (const k of ['pass', 'warn', 'fail', 'error', 'skip'] as const) c[k] += r.counts[k];
    counts.set(c.namespace, c);
  }
  const audits = data.constraints.map((c) => c.constraint?.auditAt).filter((a): a is string => !!a);
  const lastAuditAt = audits.sort().at(-1);
  return {
    violations: stamped([...data.constraints.flatMap((c) => c.violations), ...data.reports.flatMap((r) => r.violations)], data, firstSeen),
    truncations: data.constraints.flatMap((c) => (c.truncation ? [c.truncation] : [])),
    counts: [...counts.values()].sort((a, b) => a.namespace.localeCompare(b.namespace)),
    coverage: computeCoverage({
      cluster,
      constraints: data.constraints.flatMap((c) => (c.constraint ? [c.constraint] : [])),
      templates: data.templates,
      kyverno: data.kyverno,
    }),
    isolation: clusterIsolation(cluster, data.namespaces, data.netpols, tenantLabel),
    ...(lastAuditAt && { lastAuditAt }),
  };
}

/**
 * Violations of every member cluster the BFF has a connection to, watched with its own
 * identity (list/watch only) and kept mapped in memory; routes filter per person. A spoke
 * that goes down keeps its last known findings, marked stale with the last sync time;
 * its error names only itself. Changes are announced per cluster, batched.
 */
export function createSpokeViolationSource(spokes: { cluster: string; kc: KubeConfig }[], options: SpokeViolationOptions): ViolationSource {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const tenantLabel = options.tenantLabel ?? DEFAULT_TENANT_LABEL;
  const listeners = new Set<(clusters: readonly string[]) => void>();
  const views = new Map<string, ClusterView>();
  const firstSeen = new Map<string, string>();
  const dirty = new Set<string>();
  let flushTimer: NodeJS.Timeout | undefined;
  let version = 0;
  let cached: ViolationSnapshot | undefined;

  const clusters = spokes.map(
    (s) =>
      new SpokeCluster(s.cluster, s.kc, logger, () => {
        dirty.add(s.cluster);
        flushTimer ??= setTimeout(flush, options.batchMs ?? 100);
      }),
  );

  function flush(): void {
    flushTimer = undefined;
    const changed = [...dirty];
    dirty.clear();
    const at = now().toISOString();
    for (const name of changed) {
      const c = clusters.find((x) => x.name === name)!;
      // A spoke that is down keeps its last view: the informers' caches still hold it.
      const view = viewOf(name, c.data(), tenantLabel, (id) => {
        let seen = firstSeen.get(id);
        if (!seen) firstSeen.set(id, (seen = at));
        return seen;
      });
      views.set(name, view);
    }
    // Forget first-seen times of findings that are gone everywhere, so memory follows the fleet.
    const live = new Set([...views.values()].flatMap((v) => v.violations.map((x) => x.id)));
    for (const id of firstSeen.keys()) if (!live.has(id)) firstSeen.delete(id);
    version++;
    cached = undefined;
    for (const l of listeners) {
      try {
        l(changed);
      } catch (err) {
        logger.error({ err }, 'a violation change listener failed');
      }
    }
  }

  function build(): ViolationSnapshot {
    const feeds: ClusterViolationFeed[] = [];
    const errors: PartialError[] = [];
    for (const c of clusters) {
      const view = views.get(c.name);
      const lastSyncAt = c.lastSyncAt?.toISOString();
      const base = { cluster: c.name, ...(lastSyncAt && { lastSyncAt }), ...(view?.lastAuditAt && { lastAuditAt: view.lastAuditAt }) };
      if (c.live) feeds.push({ ...base, state: 'live' });
      else {
        const reason = lastSyncAt ? `${c.name} is not answering; showing its last known violations` : `${c.name} is not answering`;
        feeds.push({ ...base, state: 'stale', reason });
        errors.push({ source: 'spoke', cluster: c.name, reason });
      }
    }
    const all = [...views.values()];
    return {
      version,
      violations: all.flatMap((v) => v.violations),
      // An unchanged cluster keeps its array: the views' per-cluster counts and sorted runs survive the new version.
      byCluster: new Map([...views].map(([name, v]) => [name, v.violations])),
      truncations: all.flatMap((v) => v.truncations),
      namespaceCounts: all.flatMap((v) => v.counts),
      coverage: all.flatMap((v) => v.coverage),
      isolation: all.flatMap((v) => v.isolation),
      feeds,
      errors,
    };
  }

  return {
    async start() {
      const wait = options.startWaitMs ?? 10_000;
      await Promise.all(clusters.map((c) => Promise.race([c.start(), new Promise<void>((r) => setTimeout(r, wait).unref())])));
      clearTimeout(flushTimer);
      for (const c of clusters) dirty.add(c.name);
      flush();
    },
    async stop() {
      clearTimeout(flushTimer);
      listeners.clear();
      await Promise.all(clusters.map((c) => c.stop()));
    },
    snapshot() {
      cached ??= build();
      return cached;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
