import { ClusterState, type Facets } from '@fleetdeck/shared';

import { FacetGroup } from './facet-group.tsx';

/** Counts of what the selection shows, by environment, region and status; a click narrows the selection. */
export function FacetBar({
  facets,
  state,
  onPick,
  onState,
}: {
  facets: Facets;
  state: ClusterState | undefined;
  onPick: (term: string) => void;
  onState: (s: ClusterState | undefined) => void;
}) {
  return (
    <div className="mb-3 flex flex-wrap gap-x-6 gap-y-2">
      <FacetGroup title="Environment" counts={facets.environment} onClick={(v) => onPick(`env=${v}`)} />
      <FacetGroup title="Region" counts={facets.region} onClick={(v) => onPick(v === '(none)' ? '!region' : `region=${v}`)} />
      <FacetGroup
        title="Status"
        counts={facets.state}
        onClick={(v) => onState(state === v ? undefined : ClusterState.safeParse(v).data)}
        active={state}
      />
    </div>
  );
}
