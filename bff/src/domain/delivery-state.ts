import {
  FLEET_STATE_RANK,
  type ArgoHealthStatus,
  type ArgoSyncStatus,
  type DeliveryStatus,
  type DeliveryTone,
  type FleetBundleState,
} from '@fleetdeck/shared';

/**
 * How deliveries rank, worst first, across engines. Fleet's own ranking (ErrApplied 7 >
 * WaitApplied 6 > Modified 5 > OutOfSync 4 > Pending 3 > NotReady 2 > Ready 1) and Argo CD's
 * health order (Degraded > Missing > Progressing > Suspended > Healthy) are kept as they are
 * within each engine; across engines, a rank is `tone band × 10 + the engine's own rank`, so
 * a failed Fleet deployment and a Degraded app both sort above anything merely progressing.
 */
const TONE_BAND: Readonly<Record<DeliveryTone, number>> = {
  error: 6,
  warning: 5,
  progressing: 4,
  paused: 3,
  unknown: 2,
  ok: 1,
};

const FLEET_TONE: Readonly<Record<FleetBundleState, DeliveryTone>> = {
  ErrApplied: 'error',
  WaitApplied: 'progressing',
  Modified: 'warning',
  OutOfSync: 'warning',
  Pending: 'progressing',
  NotReady: 'warning',
  Ready: 'ok',
};

/** One Fleet BundleDeployment (or a cluster's worst one), paused or not: paused and not failing reads as Paused. */
export function fleetStatus(state: FleetBundleState, paused = false): DeliveryStatus {
  const tone = paused && state !== 'ErrApplied' ? 'paused' : FLEET_TONE[state];
  return { label: paused && tone === 'paused' ? `${state} (paused)` : state, tone, rank: TONE_BAND[tone] * 10 + FLEET_STATE_RANK[state] };
}

/** The worst of several Fleet states (Fleet's own `display.state` roll-up); undefined for none. */
export function worstFleetState(states: Iterable<FleetBundleState>): FleetBundleState | undefined {
  let worst: FleetBundleState | undefined;
  for (const s of states) if (worst === undefined || FLEET_STATE_RANK[s] > FLEET_STATE_RANK[worst]) worst = s;
  return worst;
}

const HEALTH_RANK: Readonly<Record<ArgoHealthStatus, number>> = {
  Degraded: 6,
  Missing: 5,
  Progressing: 4,
  Suspended: 3,
  Unknown: 2,
  Healthy: 1,
};

/** An Argo CD app's sync + health as one status: "OutOfSync / Degraded". A failed last sync is an error whatever the health. */
export function argoStatus(sync: ArgoSyncStatus, health: ArgoHealthStatus, lastOperationFailed = false): DeliveryStatus {
  let tone: DeliveryTone;
  if (lastOperationFailed || health === 'Degraded') tone = 'error';
  else if (health === 'Missing' || (sync === 'OutOfSync' && health !== 'Progressing')) tone = 'warning';
  else if (health === 'Progressing') tone = 'progressing';
  else if (health === 'Suspended') tone = 'paused';
  else if (sync === 'Unknown' || health === 'Unknown') tone = 'unknown';
  else tone = 'ok';
  const syncRank = sync === 'OutOfSync' ? 1 : 0;
  const label = lastOperationFailed ? `${sync} / ${health} (sync failed)` : `${sync} / ${health}`;
  return { label, tone, rank: TONE_BAND[tone] * 10 + HEALTH_RANK[health] + syncRank };
}

/** The worst of several statuses; `ok` with no label parts when there are none (nothing deployed yet reads as unknown). */
export function worstStatus(statuses: Iterable<DeliveryStatus>): DeliveryStatus {
  let worst: DeliveryStatus | undefined;
  for (const s of statuses) if (!worst || s.rank > worst.rank) worst = s;
  return worst ?? { label: 'No clusters', tone: 'unknown', rank: TONE_BAND.unknown * 10 };
}

/** A status for repo-level trouble (a failed git job, a comparison error): an error every viewer sees. */
export function repoProblem(label: string): DeliveryStatus {
  return { label, tone: 'error', rank: TONE_BAND.error * 10 + 9 };
}

/** Fleet's GitUpdating: the git job is not Current (shown while it runs, below any cluster trouble). */
export function gitUpdating(): DeliveryStatus {
  return { label: 'GitUpdating', tone: 'progressing', rank: TONE_BAND.progressing * 10 + 9 };
}
