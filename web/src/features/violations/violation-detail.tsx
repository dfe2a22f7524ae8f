import { X } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';

import type { Violation } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { ACTION_LABEL, ENGINE_LABEL, SEVERITY_CLASS } from './labels.ts';

const when = (iso: string | undefined) => (iso ? <RelativeTime iso={iso} /> : 'not known');

/** One violation's resource and finding, in a side panel that takes focus when opened and gives it back on close. */
export function ViolationDetail({ violation: v, onClose }: { violation: Violation; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [v.id]);
  const r = v.resource;
  const fields: [string, ReactNode][] = [
    ['Kind', <span className="font-mono">{r.apiVersion ? `${r.apiVersion} ${r.kind}` : r.kind}</span>],
    ['Namespace', r.namespace ? <span className="font-mono">{r.namespace}</span> : 'cluster-scoped'],
    ['Name', <span className="font-mono break-all">{r.name}</span>],
    ['Cluster', v.cluster],
    ['Engine', ENGINE_LABEL[v.engine]],
    ['Policy', <span className="font-mono break-all">{v.policy}</span>],
    ...(v.rule ? [['Rule', <span className="font-mono">{v.rule}</span>] as [string, ReactNode]] : []),
    ['Severity', <span className={`rounded px-1.5 text-xs font-medium ${SEVERITY_CLASS[v.severity]}`}>{v.severity}</span>],
    ['Action', ACTION_LABEL[v.action]],
    ['Result', v.result],
    ...(v.category ? [['Category', v.category] as [string, ReactNode]] : []),
    ['First seen', when(v.firstSeenAt)],
    ['Last seen', when(v.lastSeenAt)],
  ];
  return (
    <aside
      id="violation-detail"
      aria-labelledby="violation-detail-title"
      className="rounded-lg border border-slate-200 p-4 lg:sticky lg:top-4 dark:border-slate-800"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="mb-2 flex items-start gap-2">
        <h2 id="violation-detail-title" ref={heading} tabIndex={-1} className="flex-1 font-semibold outline-none">
          {r.kind} {r.name}
        </h2>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close details"
          className="rounded p-1 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <X aria-hidden className="size-4" />
        </button>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {fields.map(([k, value]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600 dark:text-slate-300">{k}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-3 text-sm font-semibold">Message</h3>
      <p className="text-sm break-words whitespace-pre-wrap">{v.message}</p>
    </aside>
  );
}
