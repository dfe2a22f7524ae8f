import type { QueryClient } from '@tanstack/react-query';
import { Outlet, createRootRouteWithContext, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { z } from 'zod';

import { HealthRange } from '@fleetdeck/shared';

import { paths } from '../config/paths.ts';
import { LoginPage } from '../features/auth/login-page.tsx';
import { ClusterPage } from '../features/fleet/cluster-page.tsx';
import { FleetPage } from '../features/fleet/fleet-page.tsx';
import { NotYetPage } from '../features/placeholder/not-yet-page.tsx';
import { Shell } from './shell.tsx';

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({ component: Outlet });

const loginRoute = createRoute({ getParentRoute: () => rootRoute, path: paths.login, component: LoginPage });

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: Shell });

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.root,
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirect protocol
    throw redirect({ to: paths.fleet });
  },
});

/** Fleet filters live in the URL so a view can be shared by link. */
const FleetSearch = z.object({
  selector: z.string().max(2048).optional().catch(undefined),
  state: z.enum(['Ready', 'NotReady', 'Joining', 'Leaving', 'Unknown']).optional().catch(undefined),
});
const fleetRoute = createRoute({ getParentRoute: () => appRoute, path: paths.fleet, validateSearch: FleetSearch, component: FleetPage });
/** The health panels' time range lives in the URL too. */
const ClusterSearch = z.object({ range: HealthRange.optional().catch(undefined) });
const clusterRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.cluster,
  validateSearch: ClusterSearch,
  component: ClusterPage,
});

const notYet = <P extends string>(path: P, title: string, what: string) =>
  createRoute({ getParentRoute: () => appRoute, path, component: () => <NotYetPage title={title} what={what} /> });

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    indexRoute,
    fleetRoute,
    clusterRoute,
    notYet(
      paths.rollouts,
      'Rollouts',
      'Rollout waves and approvals will appear here once a KubeFleet or Rancher Fleet source is connected.',
    ),
    notYet(paths.violations, 'Violations', 'Gatekeeper and Kyverno policy violations across the fleet will appear here.'),
    notYet(paths.health, 'Health panels', 'Prometheus/Thanos health panels for the clusters you may see will appear here.'),
    notYet(paths.logs, 'Logs', 'Loki logs for the namespaces you may read will appear here.'),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
