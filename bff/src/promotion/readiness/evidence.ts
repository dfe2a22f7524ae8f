import type { Evidence } from '@fleetdeck/shared';

/**
 * Deep links into the dashboard, as app paths. They mirror the SPA's routes
 * (web/src/config/paths.ts) and the search params those pages read: the cluster page and
 * the logs page take `from`/`to` (health-window.ts, logs-search.ts; logs also `query`,
 * LogQL), the violations page `cluster` (violation-search.ts).
 */
const HOUR_MS = 3_600_000;
/** The logs page refuses custom ranges longer than Loki's 7 days. */
const MAX_LOGS_MS = 7 * 24 * HOUR_MS;

function withQuery(path: string, query: Record<string, string>): string {
  return `${path}?${new URLSearchParams(query).toString()}`;
}

export interface EvidenceWindow {
  start: Date | undefined;
  end: Date;
}

/** The window shown: the wave's window with the hour before it (what the comparison used). */
function shown(w: EvidenceWindow, maxMs = Number.POSITIVE_INFINITY): { from: string; to: string } {
  const startMs = (w.start?.getTime() ?? w.end.getTime()) - HOUR_MS;
  const fromMs = Math.max(startMs, w.end.getTime() - maxMs);
  return { from: new Date(fromMs).toISOString(), to: w.end.toISOString() };
}

export function healthEvidence(cluster: string, w: EvidenceWindow): Evidence {
  return { kind: 'health', label: `Health of ${cluster}`, href: withQuery(`/fleet/clusters/${encodeURIComponent(cluster)}`, shown(w)) };
}

export function violationsEvidence(cluster: string): Evidence {
  return { kind: 'violations', label: `Violations on ${cluster}`, href: withQuery('/violations', { cluster }) };
}

export function logsEvidence(cluster: string, w: EvidenceWindow): Evidence {
  // A LogQL string literal: cluster names are DNS labels, but quote and backslash are escaped anyway.
  const literal = JSON.stringify(cluster);
  return {
    kind: 'logs',
    label: `Logs of ${cluster}`,
    href: withQuery('/logs', { query: `{cluster=${literal}}`, ...shown(w, MAX_LOGS_MS) }),
  };
}

export function rolloutEvidence(rolloutId: string, label = 'The rollout'): Evidence {
  return { kind: 'rollout', label, href: `/rollouts/${encodeURIComponent(rolloutId)}` };
}
