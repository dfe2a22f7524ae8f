import { useQuery } from '@tanstack/react-query';

import type { HealthRange } from '@fleetdeck/shared';

import { clusterHealthQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';
import { HealthPanelFigure } from './health-panel-figure.tsx';
import { RangePicker } from './range-picker.tsx';

/** The brief's eight panels for one cluster over a range kept in the URL; each panel says why it has no data. */
export function ClusterHealthSection({
  name,
  range,
  onRangeChange,
}: {
  name: string;
  range: HealthRange;
  onRangeChange: (range: HealthRange) => void;
}) {
  return (
    <QuerySection
      id="health"
      title="Health"
      query={useQuery(clusterHealthQuery(name, range))}
      actions={<RangePicker range={range} onChange={onRangeChange} />}
      loadingLabel="Loading health…"
      errorTitle="Health could not be loaded"
      notFoundIsNote={false}
    >
      {(data) => (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {data.panels.map((p) => (
            <HealthPanelFigure key={p.id} panel={p} range={range} />
          ))}
        </div>
      )}
    </QuerySection>
  );
}
