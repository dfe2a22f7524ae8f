import type { Cluster } from '@fleetdeck/shared';

/**
 * The demo fleet's health series: pure functions of (panel, cluster, time), so every person,
 * refresh and range sees the same story — a daily rhythm everywhere, a couple of unhealthy
 * clusters, and a burst of failed sign-ins on one production cluster each day.
 */
export type DemoCluster = Pick<Cluster, 'name' | 'tenant' | 'environment' | 'state' | 'nodeCount'>;

const DAY = 86_400;
/** Seconds into the UTC day when the failed-authentication burst starts, and how long it lasts. */
export const AUTH_SPIKE_START = 14 * 3600;
export const AUTH_SPIKE_SECONDS = 20 * 60;

/** A stable number in [0, 1) from a text (FNV-1a). */
export function hash01(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/** 0 at 04:00 UTC, 1 at 16:00: the working day's load. */
export const daily = (t: number) => 0.5 + 0.5 * Math.sin((((t - 4 * 3600) % DAY) / DAY) * 2 * Math.PI - Math.PI / 2);

/** Clusters the demo shows struggling: any not Ready, and the first staging cluster by name. */
export function unhealthyClusters(clusters: readonly DemoCluster[]): Set<string> {
  const out = new Set(clusters.filter((c) => c.state === 'NotReady').map((c) => c.name));
  const staging = clusters.filter((c) => c.environment === 'staging' && c.state === 'Ready').sort((a, b) => (a.name < b.name ? -1 : 1));
  if (staging[0]) out.add(staging[0].name);
  return out;
}

/** The production cluster whose API servers see the daily burst of failed sign-ins. */
export function authSpikeCluster(clusters: readonly DemoCluster[]): string | undefined {
  return clusters
    .filter((c) => c.environment === 'production' && c.state === 'Ready')
    .map((c) => c.name)
    .sort()[0];
}

export interface DemoContext {
  unhealthy: ReadonlySet<string>;
  authSpike: string | undefined;
}

/**
 * One panel's value for one cluster at time `t` (unix seconds); undefined: no data (a cluster
 * in Unknown state reports nothing, extra panels have no demo series). `share`: the part of
 * the cluster a namespace-limited person's namespaces hold (1: the whole cluster).
 */
export function demoValue(panel: string, c: DemoCluster, t: number, ctx: DemoContext, share = 1): number | undefined {
  if (c.state === 'Unknown') return undefined;
  const r = hash01(c.name);
  const sick = ctx.unhealthy.has(c.name);
  const nodes = c.nodeCount ?? 1;
  const d = daily(t);
  const wobble = Math.sin(t / 900 + r * 40) * 0.5 + 0.5;
  switch (panel) {
    case 'apiAvailability':
      return c.state === 'NotReady' ? 0 : 1;
    case 'nodesReady':
      return sick ? Math.max(0, nodes - 1 - (d > 0.7 ? 1 : 0)) / nodes : 1;
    case 'podHealthRatio':
      return sick ? 0.62 + 0.1 * wobble : Math.min(1, 0.965 + 0.03 * r + 0.01 * wobble - 0.01 * d);
    case 'gitopsSync':
      return sick ? 0.5 : r < 0.15 ? 0.75 + 0.25 * (wobble > 0.5 ? 1 : 0) : 1;
    case 'lastSync': {
      // Healthy clusters sync every 10–30 minutes; a sick one has been stuck since 00:00 UTC.
      if (sick) return t - Math.floor(t / DAY) * DAY + 3 * 3600;
      const period = 600 + Math.floor(r * 1200);
      return (t + Math.floor(r * period)) % period;
    }
    case 'violations':
      return Math.floor(r * 4) + (sick ? 9 : 0) + (d > 0.8 ? 1 : 0);
    case 'failedAuth': {
      const base = 0.01 + 0.04 * d * r;
      const inSpike = c.name === ctx.authSpike && t % DAY >= AUTH_SPIKE_START && t % DAY < AUTH_SPIKE_START + AUTH_SPIKE_SECONDS;
      return inSpike ? 4 + 2 * wobble : base;
    }
    case 'cpu':
      return share * nodes * 4 * (0.2 + 0.25 * r + 0.35 * d + (sick ? 0.2 : 0));
    case 'memory':
      return Math.round(share * nodes * 16 * 2 ** 30 * (0.35 + 0.2 * r + 0.15 * d + (sick ? 0.25 : 0)));
    default:
      return undefined;
  }
}

/** The part of a cluster a person's namespace globs hold in the demo (more globs, more of it). */
export function namespaceShare(namespaces: '*' | readonly string[]): number {
  return namespaces === '*' ? 1 : Math.min(0.9, 0.25 + 0.1 * (namespaces.length - 1));
}
