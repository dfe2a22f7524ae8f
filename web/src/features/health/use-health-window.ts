import { useLocation, useNavigate } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';

import { HealthSearch, searchFromView, viewFromSearch, type HealthView } from './health-window.ts';

/**
 * The health window and the paused state, read from and written to the URL of whatever
 * page shows health (the Health page, a cluster page), so a view is shared by its link.
 * Read from the location itself: a route whose search schema does not name these keys
 * still gets them.
 */
export function useHealthWindow(): {
  view: HealthView;
  paused: boolean;
  setView: (view: HealthView) => void;
  setPaused: (paused: boolean) => void;
} {
  const raw = useLocation({ select: (l) => l.search as unknown });
  const navigate = useNavigate();
  const search = useMemo(() => HealthSearch.parse(typeof raw === 'object' && raw !== null ? raw : {}), [raw]);
  const view = useMemo(() => viewFromSearch(search), [search]);
  const update = useCallback(
    (patch: Partial<HealthSearch>) =>
      void navigate({
        to: '.',
        // Keys set to undefined leave the URL; the page's other search params are kept.
        search: (prev: Record<string, unknown>) => ({ ...prev, ...patch }),
        replace: true,
      }),
    [navigate],
  );
  return {
    view,
    paused: search.refresh === 'off',
    setView: useCallback((v: HealthView) => update(searchFromView(v)), [update]),
    setPaused: useCallback((p: boolean) => update({ refresh: p ? 'off' : undefined }), [update]),
  };
}
