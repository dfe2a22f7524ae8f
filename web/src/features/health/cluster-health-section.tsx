import { useQuery, useQueryClient } from '@tanstack/react-query';

import { QuerySection } from '../../components/query-section.tsx';
import { ClusterPanel } from './cluster-panel.tsx';
import { clusterHealthPanelsQuery } from './health-queries.ts';
import { describeView, type HealthView } from './health-window.ts';
import { RangePicker } from './range-picker.tsx';
import { useHealthWindow } from './use-health-window.ts';

/**
 * The health panels of one cluster (the same definitions as the Health page) over the
 * window in the URL (presets and custom from/to); each panel says why it has no data.
 */
export function ClusterHealthSection({ name }: { name: string }) {
  const { view, paused, setView } = useHealthWindow();
  const over = view.kind === 'preset' ? view.range : describeView(view);
  const queryClient = useQueryClient();
  const changeView = (next: HealthView) => {
    // Asked for at the click, as on the Health page (health-page.tsx).
    void queryClient.prefetchQuery(clusterHealthPanelsQuery(name, next, paused));
    setView(next);
  };
  return (
    <QuerySection
      id="health"
      title="Health"
      query={useQuery(clusterHealthPanelsQuery(name, view, paused))}
      actions={<RangePicker view={view} onChange={changeView} />}
      loadingLabel="Loading health…"
      errorTitle="Health could not be loaded"
      notFoundIsNote={false}
    >
      {(data) => (
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {data.panels.map((p) => (
            <ClusterPanel key={p.id} panel={p} window={data.window} over={over} />
          ))}
        </div>
      )}
    </QuerySection>
  );
}
