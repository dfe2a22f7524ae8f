import type { Violation } from '@fleetdeck/shared';

import type { ViolationSnapshot } from '../../sources/violations/violation-source.ts';

/** What the violation lists say about a wave's clusters since it started (unscoped: cut per viewer later). */
export interface IntroducedFindings {
  /** Violations first seen at or after the wave's start, per cluster of the wave. */
  byCluster: ReadonlyMap<string, readonly Violation[]>;
  /** Clusters whose lists cannot answer (no feed configured, a read error). */
  unknown: ReadonlySet<string>;
  /** Clusters without a connection: only their counts in Prometheus say anything (figures.violationCounts). */
  countsOnly: readonly string[];
}

/**
 * Violations on the wave's clusters that were not there when it started. `firstSeenAt` is
 * when this process first saw the finding, so a finding already there when the process
 * first read the cluster carries that read's time, not its true age: `firstRead(cluster)`
 * (ms) is that moment, and only findings first seen after it can be told apart from old
 * ones. One seen before the wave started (or with no time) was there already. A wave
 * without a known start has introduced nothing we can tell.
 */
export function introducedViolations(
  snapshot: ViolationSnapshot,
  clusters: readonly string[],
  start: Date | undefined,
  firstRead: (cluster: string) => number | undefined = () => undefined,
): IntroducedFindings {
  const wave = new Set(clusters);
  const startMs = start?.getTime();
  const byCluster = new Map<string, Violation[]>();
  const unknown = new Set<string>();
  const countsOnly: string[] = [];
  for (const f of snapshot.feeds) {
    if (!wave.has(f.cluster)) continue;
    if (f.state === 'countsOnly') countsOnly.push(f.cluster);
    else if (f.state === 'unconfigured') unknown.add(f.cluster);
  }
  for (const e of snapshot.errors)
    if (e.cluster !== undefined && wave.has(e.cluster) && !countsOnly.includes(e.cluster)) unknown.add(e.cluster);
  const rows = (name: string): readonly Violation[] =>
    snapshot.byCluster ? (snapshot.byCluster.get(name) ?? []) : snapshot.violations.filter((v) => v.cluster === name);
  if (startMs === undefined) return { byCluster, unknown, countsOnly };
  // One pass over the rows of the wave's clusters only (byCluster), or over all rows once.
  const candidates = snapshot.byCluster ? clusters.flatMap((c) => rows(c)) : snapshot.violations.filter((v) => wave.has(v.cluster));
  for (const v of candidates) {
    const seen = v.firstSeenAt ? Date.parse(v.firstSeenAt) : Number.NaN;
    const read = firstRead(v.cluster);
    if (!(seen >= startMs) || (read !== undefined && !(seen > read))) continue;
    let list = byCluster.get(v.cluster);
    if (!list) byCluster.set(v.cluster, (list = []));
    list.push(v);
  }
  return { byCluster, unknown, countsOnly };
}
