import type { QueryClient } from '@tanstack/react-query';
import {
  Outlet,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import { z } from 'zod/mini';

import { ClusterState } from '@fleetdeck/shared';

import { prefetch } from '../api/prefetch.ts';
import {
  authConfigQuery,
  clusterDeliveriesQuery,
  clusterQuery,
  clusterViolationsQuery,
  clusterWorkloadsQuery,
  deliveriesQuery,
  deliveryQuery,
  fleetHealthQuery,
  fleetRolloutsQuery,
  fleetTreeQuery,
  meQuery,
  rolloutQuery,
  rolloutsQuery,
  violationsCoverageQuery,
  violationsQuery,
  violationsSummaryQuery,
  violationsTrendsQuery,
} from '../api/queries.ts';
import { RouteError, RoutePending } from '../components/states.tsx';
import { paths } from '../config/paths.ts';
import { LoginPage } from '../features/auth/login-page.tsx';
import { DeliveriesSearch, listQueryOf as deliveriesListQueryOf } from '../features/deliveries/delivery-search.ts';
import { FleetPage } from '../features/fleet/fleet-page.tsx';
import { clusterHealthPanelsQuery, fleetHealthPanelsQuery } from '../features/health/health-queries.ts';
import { HealthSearch, viewFromSearch } from '../features/health/health-window.ts';
import { LogsSearch } from '../features/logs/logs-search.ts';
import { RolloutsSearch, listFilters } from '../features/rollouts/rollout-filters.ts';
import { RolloutSearch } from '../features/rollouts/rollout-search.ts';
import { ViolationsSearch, violationsQueriesOf } from '../features/violations/violation-search.ts';
import { Shell } from './shell.tsx';

// Sign-in and the Fleet page are in the first chunk; every other page is loaded when
// first visited (or hovered: preloading on intent), with its data prefetched beside it.

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({ component: Outlet, errorComponent: RouteError });

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: paths.login,
  loader: ({ context: { queryClient } }) => prefetch(queryClient.ensureQueryData(authConfigQuery())),
  component: LoginPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  loader: ({ context: { queryClient } }) => prefetch(queryClient.ensureQueryData(meQuery())),
  component: Shell,
});

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
  selector: z.catch(z.optional(z.string().check(z.maxLength(2048))), undefined),
  state: z.catch(z.optional(ClusterState), undefined),
});
const fleetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.fleet,
  validateSearch: FleetSearch,
  loader: ({ context: { queryClient } }) =>
    prefetch(
      queryClient.ensureQueryData(fleetTreeQuery()),
      queryClient.ensureQueryData(fleetHealthQuery()),
      queryClient.ensureQueryData(fleetRolloutsQuery()),
    ),
  component: FleetPage,
});

/** The health panels' window (range, or from/to) lives in the URL too. */
const clusterRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.cluster,
  validateSearch: HealthSearch,
  loaderDeps: ({ search }) => ({ view: viewFromSearch(search) }),
  loader: ({ context: { queryClient }, params: { name }, deps: { view } }) =>
    prefetch(
      queryClient.ensureQueryData(clusterQuery(name)),
      queryClient.ensureQueryData(fleetHealthQuery()),
      queryClient.ensureQueryData(clusterWorkloadsQuery(name)),
      queryClient.ensureQueryData(clusterViolationsQuery(name)),
      queryClient.ensureQueryData(clusterDeliveriesQuery(name)),
      queryClient.ensureQueryData(fleetRolloutsQuery()),
      queryClient.ensureQueryData(clusterHealthPanelsQuery(name, view)),
    ),
  component: lazyRouteComponent(() => import('../features/fleet/cluster-page.tsx'), 'ClusterPage'),
});

/** Rollout filters live in the URL too. */
const rolloutsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.rollouts,
  validateSearch: RolloutsSearch,
  loaderDeps: ({ search }) => listFilters(search),
  loader: ({ context: { queryClient }, deps }) =>
    prefetch(queryClient.ensureInfiniteQueryData(rolloutsQuery(deps)), queryClient.ensureQueryData(fleetTreeQuery())),
  component: lazyRouteComponent(() => import('../features/rollouts/rollouts-page.tsx'), 'RolloutsPage'),
});
const rolloutRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.rollout,
  validateSearch: RolloutSearch,
  loader: ({ context: { queryClient }, params: { id } }) => prefetch(queryClient.ensureQueryData(rolloutQuery(id))),
  component: lazyRouteComponent(() => import('../features/rollouts/rollout-page.tsx'), 'RolloutPage'),
});
/** Violation filters, sort, grouping and the trend range live in the URL too. */
const violationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.violations,
  validateSearch: ViolationsSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, deps }) => {
    const { filters, list, coverage } = violationsQueriesOf(deps);
    prefetch(
      queryClient.ensureQueryData(violationsSummaryQuery(filters)),
      queryClient.ensureInfiniteQueryData(violationsQuery(list)),
      queryClient.ensureQueryData(violationsCoverageQuery(coverage)),
      queryClient.ensureQueryData(violationsTrendsQuery(deps.range ?? '24h')),
      queryClient.ensureQueryData(fleetTreeQuery()),
    );
  },
  component: lazyRouteComponent(() => import('../features/violations/violations-page.tsx'), 'ViolationsPage'),
});
/** Delivery filters, grouping and sort live in the URL too. */
const deliveriesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.deliveries,
  validateSearch: DeliveriesSearch,
  loaderDeps: ({ search }) => deliveriesListQueryOf(search),
  loader: ({ context: { queryClient }, deps }) =>
    prefetch(queryClient.ensureInfiniteQueryData(deliveriesQuery(deps)), queryClient.ensureQueryData(fleetTreeQuery())),
  component: lazyRouteComponent(() => import('../features/deliveries/deliveries-page.tsx'), 'DeliveriesPage'),
});
/** `$id` is `fleet:<ns>/<name>`: the router encodes it as one path segment (`:` and `/` escaped). */
const deliveryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.delivery,
  loader: ({ context: { queryClient }, params: { id } }) => prefetch(queryClient.ensureQueryData(deliveryQuery(id))),
  component: lazyRouteComponent(() => import('../features/deliveries/delivery-page.tsx'), 'DeliveryPage'),
});
const healthRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.health,
  validateSearch: HealthSearch,
  loaderDeps: ({ search }) => ({ view: viewFromSearch(search) }),
  loader: ({ context: { queryClient }, deps: { view } }) => prefetch(queryClient.ensureQueryData(fleetHealthPanelsQuery(view))),
  component: lazyRouteComponent(() => import('../features/health/health-page.tsx'), 'HealthPage'),
});
/** The LogQL query, the window and live tail live in the URL too. */
const logsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.logs,
  validateSearch: LogsSearch,
  component: lazyRouteComponent(() => import('../features/logs/logs-page.tsx'), 'LogsPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    indexRoute,
    fleetRoute,
    clusterRoute,
    rolloutsRoute,
    rolloutRoute,
    violationsRoute,
    deliveriesRoute,
    deliveryRoute,
    healthRoute,
    logsRoute,
  ]),
]);

/** `history`: the browser's by default; tests pass a memory history. */
export function createAppRouter(queryClient: QueryClient, history?: RouterHistory) {
  return createRouter({
    routeTree,
    ...(history && { history }),
    context: { queryClient },
    defaultPreload: 'intent',
    // Data lives in react-query; the router only starts it (loaders prefetch).
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: RoutePending,
    defaultErrorComponent: RouteError,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
