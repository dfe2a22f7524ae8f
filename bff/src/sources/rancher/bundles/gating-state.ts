import type { BundleDeploymentView } from './fleet-objects.ts';
import type { Claim } from './gated-waves.ts';
import type { MappedBundle } from './map-bundle.ts';

/**
 * The source's bookkeeping for gated waves, per bundle (`<namespace>/<name>`): what it asks
 * of each Fleet Cluster (read by the hold reconciler), its soak releases, and when its next
 * soak countdown ends (the bundle is re-evaluated then, since nothing upstream changes).
 */
export interface GatingState {
  readonly claims: ReadonlyMap<string, ReadonlyMap<string, Claim>>;
  readonly soakReleased: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Bundles with gated waves (their held waves name the other bundles on their clusters). */
  readonly gated: ReadonlySet<string>;
  update(bundleKey: string, mapped: MappedBundle): void;
  forget(bundleKey: string): void;
  /** The bundles deployed on each Fleet Cluster (`<namespace>/<name>`), indexed on first use. */
  bundlesOn(): (fleetKey: string) => readonly string[];
  /** Arms one timer for the earliest countdown; `due` gets the bundles whose countdown ended. */
  schedule(due: (bundleKey: string) => void): void;
  stop(): void;
}

export function createGatingState(
  deploymentsByBundle: ReadonlyMap<string, ReadonlyMap<string, BundleDeploymentView>>,
  now: () => Date,
): GatingState {
  const claims = new Map<string, ReadonlyMap<string, Claim>>();
  const soakReleased = new Map<string, ReadonlyMap<string, string>>();
  const countdowns = new Map<string, number>();
  const gated = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return {
    claims,
    soakReleased,
    gated,
    update(k, mapped) {
      claims.set(k, mapped.claims);
      if (mapped.gating) gated.add(k);
      else gated.delete(k);
      if (mapped.gating?.soakReleased.size) soakReleased.set(k, mapped.gating.soakReleased);
      else soakReleased.delete(k);
      if (mapped.gating?.nextAt) countdowns.set(k, mapped.gating.nextAt.getTime());
      else countdowns.delete(k);
    },
    forget(k) {
      claims.delete(k);
      soakReleased.delete(k);
      countdowns.delete(k);
      gated.delete(k);
    },
    bundlesOn() {
      let index: Map<string, string[]> | undefined;
      return (fleetKey) => {
        if (!index) {
          index = new Map();
          for (const [bundleKey, byName] of deploymentsByBundle) {
            for (const bd of byName.values()) {
              if (!bd.cluster || !bd.clusterNamespace) continue;
              const at = `${bd.clusterNamespace}/${bd.cluster}`;
              index.set(at, [...(index.get(at) ?? []), bundleKey]);
            }
          }
        }
        return index.get(fleetKey) ?? [];
      };
    },
    schedule(due) {
      clearTimeout(timer);
      if (countdowns.size === 0) return;
      const first = Math.min(...countdowns.values());
      // A few ms late, so the re-evaluation sees the countdown ended.
      timer = setTimeout(
        () => {
          for (const [k, t] of countdowns) if (t <= now().getTime()) due(k);
        },
        Math.max(0, first - now().getTime()) + 5,
      );
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
