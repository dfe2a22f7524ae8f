import { gitopsSources, rolloutSources, type Config } from '../config/schema.ts';
import { KUBEFLEET_INVENTORY_WATCHES } from './kubefleet/kubefleet-source.ts';
import { KUBEFLEET_ROLLOUT_WATCHES } from './kubefleet/rollouts/kubefleet-rollout-source.ts';
import { ARGOCD_DELIVERY_WATCHES } from './gitops/argocd/argocd-delivery-source.ts';
import { ARGOCD_ROLLOUT_WATCHES } from './gitops/argocd/rolling-sync-rollout-source.ts';
import { FLEET_DELIVERY_WATCHES } from './gitops/fleet/fleet-delivery-source.ts';
import { FLEET_BUNDLE_WATCHES } from './rancher/bundles/fleet-bundle-source.ts';
import { RANCHER_INVENTORY_WATCHES } from './rancher/rancher-source.ts';

/**
 * What the BFF reads on the hub with its own identity, gathered from the sources that
 * read it: each hub source exports the kinds its informers list and watch. The Helm
 * chart's hub RBAC is made from this (deploy/helm/fleetdeck/files/hub-watches.yaml, which
 * a test keeps equal to `hubWatchesFile()`), so a source that starts watching a new kind
 * cannot ship without the right to do so, and the BFF is granted nothing it does not read.
 */
export interface HubWatch {
  readonly group: string;
  readonly resource: string;
}

/** The informers list, then watch; nothing on the hub is read any other way as the BFF itself. */
export const HUB_WATCH_VERBS = ['list', 'watch'] as const;

type HubSource = 'kubefleet' | 'rancher-fleet';
type HubRolloutSource = HubSource | 'argocd';
type HubGitopsSource = 'rancher-fleet' | 'argocd';

export const HUB_WATCHES: {
  inventory: Record<HubSource, readonly HubWatch[]>;
  rollouts: Record<HubRolloutSource, readonly HubWatch[]>;
  gitops: Record<HubGitopsSource, readonly HubWatch[]>;
} = {
  inventory: { kubefleet: KUBEFLEET_INVENTORY_WATCHES, 'rancher-fleet': RANCHER_INVENTORY_WATCHES },
  rollouts: { kubefleet: KUBEFLEET_ROLLOUT_WATCHES, 'rancher-fleet': FLEET_BUNDLE_WATCHES, argocd: ARGOCD_ROLLOUT_WATCHES },
  gitops: { 'rancher-fleet': FLEET_DELIVERY_WATCHES, argocd: ARGOCD_DELIVERY_WATCHES },
};

const isHubSource = (s: string): s is HubSource => s === 'kubefleet' || s === 'rancher-fleet';
const isHubRolloutSource = (s: string): s is HubRolloutSource => isHubSource(s) || s === 'argocd';
const isHubGitopsSource = (s: string): s is HubGitopsSource => s === 'rancher-fleet' || s === 'argocd';

/** One RBAC rule per API group, resources sorted: the form the chart renders. */
export interface HubReadRule {
  apiGroups: [string];
  resources: string[];
  verbs: string[];
}

/** The hub read rules a configuration needs: the kinds its inventory and rollout sources watch. */
export function hubReadRules(config: Config): HubReadRule[] {
  if (config.mode === 'demo') return [];
  const watches = [
    ...config.inventory.sources.filter(isHubSource).flatMap((s) => HUB_WATCHES.inventory[s]),
    ...rolloutSources(config)
      .filter(isHubRolloutSource)
      .flatMap((s) => HUB_WATCHES.rollouts[s]),
    ...gitopsSources(config)
      .filter(isHubGitopsSource)
      .flatMap((s) => HUB_WATCHES.gitops[s]),
  ];
  const byGroup = new Map<string, Set<string>>();
  for (const w of watches) byGroup.set(w.group, (byGroup.get(w.group) ?? new Set()).add(w.resource));
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, resources]) => ({ apiGroups: [group], resources: [...resources].sort(), verbs: [...HUB_WATCH_VERBS] }));
}

/** The chart's copy (files/hub-watches.yaml): per source, the kinds it watches. */
export function hubWatchesFile(): {
  verbs: string[];
  inventory: Record<string, HubWatch[]>;
  rollouts: Record<string, HubWatch[]>;
  gitops: Record<string, HubWatch[]>;
} {
  const plain = (m: Partial<Record<string, readonly HubWatch[]>>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, (v ?? []).map((w) => ({ group: w.group, resource: w.resource }))]));
  return {
    verbs: [...HUB_WATCH_VERBS],
    inventory: plain(HUB_WATCHES.inventory),
    rollouts: plain(HUB_WATCHES.rollouts),
    gitops: plain(HUB_WATCHES.gitops),
  };
}
