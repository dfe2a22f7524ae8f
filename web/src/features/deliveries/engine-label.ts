import type { DeliveryEngine } from '@fleetdeck/shared';

export const ENGINE_LABEL: Record<DeliveryEngine, string> = { fleet: 'Rancher Fleet', argocd: 'Argo CD' };
/** What one delivery is called in its engine's words. */
export const KIND_LABEL: Record<DeliveryEngine, string> = { fleet: 'GitRepo', argocd: 'Application' };
