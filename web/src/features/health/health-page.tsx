import { NotYetPage } from '../placeholder/not-yet-page.tsx';

/** The health area's page (a placeholder until its source is connected); loaded lazily. */
export function HealthPage() {
  return <NotYetPage title="Health panels" what="Prometheus/Thanos health panels for the clusters you may see will appear here." />;
}
