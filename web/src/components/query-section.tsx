import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import type { PartialError } from '@fleetdeck/shared';

import { ApiError } from '../api/client.ts';
import { ErrorPanel, Loading } from './states.tsx';

export interface QuerySectionProps<T> {
  /** The heading's id; the section is labelled by it. */
  id: string;
  title: string;
  query: UseQueryResult<T>;
  /** Shown beside the heading (e.g. a time-range picker). */
  actions?: ReactNode;
  loadingLabel?: string;
  errorTitle?: string;
  /**
   * A 404 says "there is nothing to ask here" (e.g. no connection to this cluster): shown
   * as a plain note, not as a failure. Off for answers where 404 is an error.
   */
  notFoundIsNote?: boolean;
  /** When the answer has nothing to show, this text is shown instead of the children. */
  empty?: { when: (data: T) => boolean; text: string };
  /** Per-source errors of a partial answer, named under the data. */
  partialErrors?: (data: T) => readonly Pick<PartialError, 'reason'>[];
  children: (data: T) => ReactNode;
}

/**
 * One section of a page, read by one query: loading, empty, error and partial states
 * look and read the same everywhere. A section read from a cluster as the person
 * distinguishes "no connection" (404, a note) from "not answering" (502, an error).
 */
export function QuerySection<T>({
  id,
  title,
  query,
  actions,
  loadingLabel = 'Asking the cluster…',
  errorTitle = 'This cluster is not answering',
  notFoundIsNote = true,
  empty,
  partialErrors,
  children,
}: QuerySectionProps<T>) {
  const notFound = notFoundIsNote && query.error instanceof ApiError && query.error.status === 404 ? query.error : undefined;
  const partial = query.data === undefined ? [] : (partialErrors?.(query.data) ?? []);
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="mb-2 flex items-center gap-3">
        <h2 id={id} className="font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {query.isPending && <Loading label={loadingLabel} />}
      {notFound && <p className="text-sm text-slate-600 dark:text-slate-300">{notFound.message}</p>}
      {query.isError && !notFound && <ErrorPanel title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />}
      {query.data !== undefined && (empty?.when(query.data) ? <p className="text-sm">{empty.text}</p> : children(query.data))}
      {partial.length > 0 && (
        <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">Partly unavailable: {partial.map((e) => e.reason).join('; ')}</p>
      )}
    </section>
  );
}
