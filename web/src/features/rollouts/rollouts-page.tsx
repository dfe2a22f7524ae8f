import { NotYetPage } from '../placeholder/not-yet-page.tsx';

/** The rollouts area's page (a placeholder until its source is connected); loaded lazily. */
export function RolloutsPage() {
  return (
    <NotYetPage
      title="Rollouts"
      what="Rollout waves and approvals will appear here once a KubeFleet or Rancher Fleet source is connected."
    />
  );
}
