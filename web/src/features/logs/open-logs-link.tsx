import { Link, useRouter } from '@tanstack/react-router';
import { ScrollText } from 'lucide-react';

import { paths } from '../../config/paths.ts';
import { openLogsSearch } from './logs-search.ts';

/** "Open logs" for one cluster (and namespace), around an event's time when there is one. */
export function OpenLogsLink({
  cluster,
  namespace,
  at,
  className = '',
}: {
  cluster: string;
  namespace?: string;
  at?: string | undefined;
  className?: string;
}) {
  // A section rendered on its own (a component test) has no router: nowhere to link to.
  const router = useRouter({ warn: false }) as ReturnType<typeof useRouter> | null;
  if (!router) return null;
  return (
    <Link
      to={paths.logs}
      search={openLogsSearch({ cluster, namespace, at })}
      aria-label={`Open logs of ${cluster}${namespace ? ` / ${namespace}` : ''}`}
      className={`inline-flex items-center gap-1 text-sm text-teal-800 hover:underline dark:text-teal-300 ${className}`}
    >
      <ScrollText aria-hidden className="size-4" />
      Open logs
    </Link>
  );
}
