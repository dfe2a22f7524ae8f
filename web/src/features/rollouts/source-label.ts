import type { RolloutSourceKind } from '@fleetdeck/shared';

export const SOURCE_LABEL: Record<RolloutSourceKind, string> = {
  demo: 'Demo',
  kubefleet: 'KubeFleet',
  'kubefleet-namespaced': 'KubeFleet (namespaced)',
  'rancher-fleet': 'Rancher Fleet',
  argocd: 'Argo CD RollingSync',
};

/** "N clusters outside your scope": counted, never named. */
export const hiddenText = (n: number) => `${n} ${n === 1 ? 'cluster' : 'clusters'} outside your scope`;
