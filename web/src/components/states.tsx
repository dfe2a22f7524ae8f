import { AlertTriangle, Inbox, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';

import { ApiError } from '../api/client.ts';

/** The loading, empty and error states every page uses, so they look and read the same everywhere. */
export function Loading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 p-6 text-slate-600 dark:text-slate-300">
      <Loader2 aria-hidden className="size-4 animate-spin" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <Inbox aria-hidden className="size-6 text-slate-500 dark:text-slate-400" />
      <p className="font-medium">{title}</p>
      {children && <div className="max-w-prose text-sm text-slate-600 dark:text-slate-300">{children}</div>}
    </div>
  );
}

export function ErrorPanel({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const detail = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.problem?.requestId : undefined;
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-5 shrink-0" />
      <div className="flex-1">
        <p className="font-medium">{title}</p>
        <p className="text-sm">{detail}</p>
        {requestId && <p className="text-xs opacity-80">Request id: {requestId}</p>}
      </div>
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="rounded border border-current px-2 py-1 text-sm hover:bg-red-100 dark:hover:bg-red-900"
        >
          Retry
        </button>
      )}
    </div>
  );
}

/** The router's default while a page's code or data loads (shown after a short delay). */
export function RoutePending() {
  return <Loading label="Loading…" />;
}

/** The router's default error boundary: a page that failed to load or render says so and can retry. */
export function RouteError({ error, reset }: { error: unknown; reset: () => void }) {
  return (
    <div className="p-6">
      <ErrorPanel title="This page could not be shown" error={error} onRetry={reset} />
    </div>
  );
}
