import type { Cluster, ClusterViolationFeed, Violation } from '@fleetdeck/shared';

import type { NamespaceResultCounts, ViolationSnapshot, ViolationSource } from '../../violations/violation-source.ts';
import { TENANT_NAMESPACES } from './demo-catalog.ts';
import { standingFindings, transientPool, type DemoFinding } from './demo-findings.ts';
import { demoCoverage, demoIsolation, usesGatekeeper, usesKyverno } from './demo-policies.ts';
import { rnd } from './demo-random.ts';

export interface DemoViolationOptions {
  clusters: readonly Cluster[];
  now?: () => number;
  /** One finding appears and one is fixed every tick. */
  tickMs?: number;
}

/** Synthetic bench clusters are named `<tenant>-<env>-00042`; the demo speaks of the brief's named ones only. */
const SYNTHETIC = /-\d{5}$/;

/**
 * The demo fleet's violations over the brief's named clusters, both engines and all three
 * tenants: standing findings, Gatekeeper constraints over the 20 cap, per-namespace
 * result counts, coverage with gaps and isolation with a missing and too-wide namespace.
 * Every tick a transient finding appears and the oldest is fixed (a window sliding over
 * a fixed pool), so the page is alive and every answer is a function of `now`.
 */
export function demoViolationSource(options: DemoViolationOptions): ViolationSource {
  const now = options.now ?? Date.now;
  const tickMs = options.tickMs ?? 30_000;
  const clusters = options.clusters.filter((c) => !SYNTHETIC.test(c.name));
  const startedAt = now();
  const standing = new Map(clusters.map((c) => [c.name, standingFindings(c)]));
  const pool = transientPool(clusters);
  const window = Math.floor(pool.length / 2);
  const fixed = clusters.map((c) => ({ cluster: c, coverage: demoCoverage(c), isolation: demoIsolation(c) }));
  const listeners = new Set<(clusters: readonly string[]) => void>();
  let timer: NodeJS.Timeout | undefined;
  let cache: { epoch: number; snapshot: ViolationSnapshot } | undefined;

  const epochAt = (t: number) => Math.floor(t / tickMs);
  /** Pool indices present in an epoch, with the epoch each one appeared in. */
  function present(epoch: number): { f: DemoFinding; since: number }[] {
    if (!pool.length) return [];
    return Array.from({ length: window }, (_, k) => {
      const i = (((epoch + k) % pool.length) + pool.length) % pool.length;
      return { f: pool[i]!, since: epoch - (window - 1 - k) };
    });
  }

  function build(t: number): ViolationSnapshot {
    const epoch = epochAt(t);
    const auditAt = new Date(Math.floor(t / 60_000) * 60_000).toISOString();
    const reportAt = new Date(epoch * tickMs).toISOString();
    const lastSeenAt = (v: DemoFinding['violation']) => (v.engine === 'gatekeeper' ? auditAt : reportAt);
    const violations: Violation[] = [];
    for (const c of clusters) {
      for (const f of standing.get(c.name)!.findings) {
        // Standing findings were there before the demo started, some for days.
        const firstSeenAt = new Date(startedAt - Math.floor(rnd('age', f.key) * 3 * 86_400_000)).toISOString();
        violations.push({ ...f.violation, firstSeenAt, lastSeenAt: lastSeenAt(f.violation) });
      }
    }
    for (const { f, since } of present(epoch))
      violations.push({
        ...f.violation,
        firstSeenAt: new Date(Math.max(since * tickMs, startedAt)).toISOString(),
        lastSeenAt: lastSeenAt(f.violation),
      });
    const namespaceCounts: NamespaceResultCounts[] = clusters.filter(usesKyverno).flatMap((c) =>
      TENANT_NAMESPACES.map((short) => {
        const namespace = `${c.tenant}-${short}`;
        const mine = violations.filter((v) => v.cluster === c.name && v.engine === 'kyverno' && v.resource.namespace === namespace);
        return {
          cluster: c.name,
          namespace,
          pass: 20 + Math.floor(rnd('pass', c.name, namespace) * 40),
          warn: mine.filter((v) => v.result === 'warn').length,
          fail: mine.filter((v) => v.result === 'fail').length,
          error: 0,
          skip: Math.floor(rnd('skip', c.name, namespace) * 3),
        };
      }),
    );
    const feeds: ClusterViolationFeed[] = clusters.map((c) => {
      const lastAuditAt = usesGatekeeper(c) ? { lastAuditAt: auditAt } : {};
      // The store that lost its connection keeps what it last heard, 25 minutes ago.
      if (c.state === 'Unknown')
        return {
          cluster: c.name,
          state: 'stale',
          lastSyncAt: new Date(startedAt - 25 * 60_000).toISOString(),
          reason: `${c.name} is not answering; showing its last known violations`,
        };
      return { cluster: c.name, state: 'live', lastSyncAt: reportAt, ...lastAuditAt };
    });
    return {
      version: epoch,
      violations,
      truncations: clusters.flatMap((c) => standing.get(c.name)!.truncations),
      namespaceCounts,
      coverage: fixed.flatMap((x) => x.coverage),
      isolation: fixed.flatMap((x) => x.isolation),
      feeds,
      errors: feeds.filter((f) => f.state === 'stale').map((f) => ({ source: 'spoke', cluster: f.cluster, reason: f.reason! })),
    };
  }

  let lastEpoch = epochAt(startedAt);
  function tick(): void {
    const epoch = epochAt(now());
    if (epoch === lastEpoch) return;
    const before = new Set(present(lastEpoch).map((p) => p.f.key));
    const after = new Set(present(epoch).map((p) => p.f.key));
    lastEpoch = epoch;
    const changed = new Set(pool.filter((f) => before.has(f.key) !== after.has(f.key)).map((f) => f.violation.cluster));
    for (const l of listeners) l([...changed].sort());
  }

  return {
    start() {
      timer = setInterval(tick, Math.min(tickMs, 5_000));
      timer.unref();
      return Promise.resolve();
    },
    stop() {
      clearInterval(timer);
      listeners.clear();
      return Promise.resolve();
    },
    snapshot() {
      const epoch = epochAt(now());
      // Everything but the Gatekeeper audit minute is a function of the epoch; the version is the epoch.
      if (!cache || cache.epoch !== epoch) cache = { epoch, snapshot: build(epoch * tickMs) };
      return cache.snapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
