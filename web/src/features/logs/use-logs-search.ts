import { getRouteApi } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';

import { searchFromView, type HealthView } from '../health/health-window.ts';
import { logsViewFromSearch, type LogsSearch } from './logs-search.ts';

const route = getRouteApi('/app/logs');

/** The Logs page's state in its URL (query, window, live), read and written in one place. */
export function useLogsSearch(): {
  search: LogsSearch;
  view: HealthView;
  update: (patch: Partial<LogsSearch>) => void;
  setView: (view: HealthView) => void;
} {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const view = useMemo(() => logsViewFromSearch(search), [search]);
  const update = useCallback(
    (patch: Partial<LogsSearch>) => void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  const setView = useCallback((v: HealthView) => update(searchFromView(v)), [update]);
  return { search, view, update, setView };
}
