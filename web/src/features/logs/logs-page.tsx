import { NotYetPage } from '../placeholder/not-yet-page.tsx';

/** The logs area's page (a placeholder until its source is connected); loaded lazily. */
export function LogsPage() {
  return <NotYetPage title="Logs" what="Loki logs for the namespaces you may read will appear here." />;
}
