import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useNavigate } from '@tanstack/react-router';
import { Boxes, GitBranch, HeartPulse, Layers3, LogOut, ScrollText, ShieldAlert, UserRound } from 'lucide-react';
import { useState, type ChangeEvent } from 'react';

import { LogoutResult, apiPaths, type Grant } from '@fleetdeck/shared';

import { ApiError, post } from '../api/client.ts';
import { meQuery } from '../api/queries.ts';
import { Loading, ErrorPanel } from '../components/states.tsx';
import { paths } from '../config/paths.ts';
import { InboxMenu } from '../features/inbox/inbox-menu.tsx';
import { applyTheme, readThemeChoice, type ThemeChoice } from './theme.ts';

const NAV = [
  { to: paths.fleet, label: 'Fleet', icon: Boxes },
  { to: paths.rollouts, label: 'Rollouts', icon: Layers3 },
  { to: paths.violations, label: 'Violations', icon: ShieldAlert },
  { to: paths.deliveries, label: 'Deliveries', icon: GitBranch },
  { to: paths.health, label: 'Health', icon: HeartPulse },
  { to: paths.logs, label: 'Logs', icon: ScrollText },
] as const;

const ROLE_LABEL: Record<Grant['role'], string> = {
  'platform-admin': 'Platform Admin',
  'tenant-admin': 'Tenant Admin',
  developer: 'Developer',
  viewer: 'Viewer',
};

export function describeGrant(grant: Grant): string {
  const tenants = grant.tenants === '*' ? 'all tenants' : grant.tenants.join(', ');
  const envs = grant.environments === '*' ? '' : ` (${grant.environments.join(', ')})`;
  return `${ROLE_LABEL[grant.role]} · ${tenants}${envs}`;
}

/** The signed-in layout: top navigation, persona menu, theme; sends anonymous visitors to sign in. */
export function Shell() {
  const me = useQuery(meQuery());
  if (me.isPending) return <Loading label="Checking your session…" />;
  if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to={paths.login} />;
  if (me.isError) {
    return (
      <main className="p-6">
        <ErrorPanel title="Fleetdeck could not load your session" error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  const { principal, scope, csrfToken, authMode } = me.data;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2">
          <span className="text-lg font-semibold tracking-tight text-teal-800 dark:text-teal-300">Fleetdeck</span>
          <nav aria-label="Main" className="flex flex-1 flex-wrap gap-1">
            {NAV.map(({ to, label, icon: Icon }) => (
              <Link
                key={to}
                to={to}
                className="inline-flex items-center gap-1.5 rounded px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
                activeProps={{ className: 'bg-slate-200 font-semibold dark:bg-slate-800', 'aria-current': 'page' }}
              >
                <Icon aria-hidden className="size-4" />
                {label}
              </Link>
            ))}
          </nav>
          <InboxMenu />
          <ThemePicker />
          <UserMenu
            name={principal.displayName ?? principal.user}
            user={principal.user}
            roles={scope.grants.map(describeGrant)}
            csrfToken={csrfToken}
            demo={authMode === 'demo'}
          />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}

function ThemePicker() {
  const [choice, setChoice] = useState<ThemeChoice>(readThemeChoice);
  const onChange = (e: ChangeEvent<HTMLSelectElement>) => {
    const next = e.target.value as ThemeChoice;
    setChoice(next);
    applyTheme(next);
  };
  return (
    <label className="flex items-center gap-1 text-sm">
      <span className="sr-only">Theme</span>
      <select
        value={choice}
        onChange={onChange}
        className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

function UserMenu({
  name,
  user,
  roles,
  csrfToken,
  demo,
}: {
  name: string;
  user: string;
  roles: string[];
  csrfToken: string;
  demo: boolean;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const signOut = async () => {
    try {
      const result = LogoutResult.parse(await (await post(apiPaths.logout, csrfToken)).json());
      queryClient.clear();
      // With single sign-on, end the provider's session too; it sends the person back.
      if (result.endSessionUrl) window.location.assign(result.endSessionUrl);
      else await navigate({ to: paths.login });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-200 dark:hover:bg-slate-800">
        <UserRound aria-hidden className="size-4" />
        <span data-testid="current-user">{name}</span>
      </summary>
      <div className="absolute right-0 z-10 mt-1 w-72 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <p className="font-medium">{user}</p>
        <ul className="mt-1 space-y-0.5 text-slate-600 dark:text-slate-300" aria-label="Your roles">
          {roles.length === 0 ? <li>No roles: you can see nothing yet.</li> : roles.map((r) => <li key={r}>{r}</li>)}
        </ul>
        <div className="mt-3 flex gap-2">
          {demo && (
            <Link
              to={paths.login}
              className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              Switch persona
            </Link>
          )}
          <button
            type="button"
            onClick={() => void signOut()}
            className="inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            <LogOut aria-hidden className="size-4" />
            Sign out
          </button>
        </div>
        {error && (
          <p role="alert" className="mt-2 text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
