import { useQuery } from '@tanstack/react-query';
import { LogIn } from 'lucide-react';

import { apiPaths, apiUrl } from '@fleetdeck/shared';

import { authConfigQuery } from '../../api/queries.ts';
import { paths } from '../../config/paths.ts';
import { ErrorPanel, Loading } from '../../components/states.tsx';

const ROLE_TEXT = {
  'platform-admin': 'Sees every tenant, approves any wave',
  'tenant-admin': "Sees client-a's clusters, approves their waves",
  developer: "client-a's dev and staging namespaces, no production",
  viewer: "Read-only view of client-b's clusters",
} as const;

/** Sign-in: in demo mode, a persona picker; each persona is a plain link to the BFF's demo login. */
export function LoginPage() {
  const config = useQuery(authConfigQuery());
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Sign in to Fleetdeck</h1>
      {config.isPending && <Loading label="Loading sign-in options…" />}
      {config.isError && (
        <ErrorPanel title="Sign-in options could not be loaded" error={config.error} onRetry={() => void config.refetch()} />
      )}
      {config.data?.mode === 'demo' && (
        <>
          <p className="mt-2 text-slate-600 dark:text-slate-300">This is the demo fleet. Choose a persona to see the fleet as they do.</p>
          <ul className="mt-6 space-y-3" aria-label="Demo personas">
            {config.data.demoUsers.map((u) => (
              <li key={u.user}>
                <a
                  href={apiUrl(apiPaths.demoLogin, {}, { as: u.user })}
                  className="flex items-center gap-3 rounded-lg border border-slate-200 p-4 hover:border-teal-600 hover:bg-teal-50 dark:border-slate-700 dark:hover:bg-slate-900"
                >
                  <LogIn aria-hidden className="size-5 text-teal-700 dark:text-teal-300" />
                  <span>
                    <span className="block font-medium">{u.displayName}</span>
                    <span className="block text-sm text-slate-600 dark:text-slate-300">
                      {u.user} · {ROLE_TEXT[u.role]}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {config.data?.mode === 'oidc' && config.data.loginUrl && (
        <a
          href={apiUrl(config.data.loginUrl, {}, { returnTo: paths.fleet })}
          className="mt-6 inline-flex items-center gap-2 rounded-lg bg-teal-700 px-4 py-2 font-medium text-white hover:bg-teal-800"
        >
          <LogIn aria-hidden className="size-5" />
          Sign in with single sign-on
        </a>
      )}
    </main>
  );
}
