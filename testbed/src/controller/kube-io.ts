import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import type { KubeClient, KubeTarget } from '../kube/client.ts';

/** What the stand-ins share for talking to the hub API server. */
export interface List<T> {
  items: T[];
}
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
}
export type Log = (msg: string, extra?: Record<string, unknown>) => void;

export function targetFromKubeconfig(path: string): KubeTarget {
  interface Kubeconfig {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  }
  const kc = parse(readFileSync(path, 'utf8')) as Kubeconfig;
  const b64 = (s: string) => Buffer.from(s, 'base64').toString();
  return {
    url: kc.clusters[0]!.cluster.server,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  };
}

/**
 * Read, change, update with the read resourceVersion; on a conflict read again and redo
 * (never a merge patch, which would replace list-map fields like conditions whole).
 * `change` returns undefined when nothing is to be written. Answers false when the object is gone.
 */
export async function updateWithRetry<T extends { metadata: ObjectMeta }>(
  client: KubeClient,
  path: string,
  change: (current: T) => T | undefined,
  subresource = '',
  attempts = 5,
): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    const res = await client.request<T>('GET', path);
    if (res.status === 404) return false;
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    const next = change(structuredClone(res.body));
    if (!next) return true;
    const put = await client.request('PUT', `${path}${subresource}`, { body: next });
    if (put.status === 200) return true;
    if (put.status === 404) return false;
    if (put.status !== 409) throw new Error(`PUT ${path}${subresource}: ${put.status} ${put.text.slice(0, 300)}`);
  }
  throw new Error(`PUT ${path}${subresource}: still conflicting after ${attempts} attempts`);
}

/** One object's update with the resourceVersion it was read at; a conflict just waits for the next tick. */
export async function putIfUnchanged(client: KubeClient, path: string, body: unknown): Promise<'ok' | 'conflict' | 'gone'> {
  const res = await client.request('PUT', path, { body });
  if (res.status === 200 || res.status === 201) return 'ok';
  if (res.status === 409) return 'conflict';
  if (res.status === 404) return 'gone';
  throw new Error(`PUT ${path}: ${res.status} ${res.text.slice(0, 300)}`);
}

/** A repeating reconcile loop that never overlaps itself and stops cleanly. */
export function startLoop(name: string, once: () => Promise<unknown>, intervalMs: number, log?: Log): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const tick = () => {
    if (stopped) return;
    running = once()
      .then(() => undefined)
      .catch((err: unknown) => log?.(`${name}: reconcile failed`, { error: (err as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
