import { NotYetPage } from '../placeholder/not-yet-page.tsx';

/** The violations area's page (a placeholder until its source is connected); loaded lazily. */
export function ViolationsPage() {
  return <NotYetPage title="Violations" what="Gatekeeper and Kyverno policy violations across the fleet will appear here." />;
}
