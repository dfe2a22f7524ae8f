import { KubeClient, type KubeTarget } from '../kube/client.ts';
import { startLoop, updateWithRetry, type List, type Log } from '../controller/kube-io.ts';
import { reconcileApp, type ArgoApp } from './app-controller.ts';
import { appSetStatus, generateApps, ownedBy, rollingSyncApp, withAutomatedSync, type ArgoAppSet } from './appset-controller.ts';
import { planRollingSync } from './rolling-sync.ts';

/**
 * The testbed's Argo CD stand-in (a simulated external controller for tests; not part of
 * Fleetdeck; no Argo CD binary exists here): an application controller loop that honours
 * `operation` and refresh annotations (app-controller.ts), and an ApplicationSet loop that
 * generates apps and advances RollingSync steps (appset-controller.ts, rolling-sync.ts).
 * Both read the real hub API server and write with resourceVersion.
 */
const BASE = '/apis/argoproj.io/v1alpha1';
const appPath = (a: ArgoApp) => `${BASE}/namespaces/${a.metadata.namespace}/applications/${a.metadata.name}`;

export interface ArgoStandinOptions {
  target: KubeTarget;
  /** How long a sync runs before it succeeds. */
  syncMs?: number;
  appIntervalMs?: number;
  appSetIntervalMs?: number;
  log?: Log;
}

export async function reconcileApps(client: KubeClient, opts: ArgoStandinOptions): Promise<number> {
  const apps = (await client.expectOk<List<ArgoApp>>('GET', `${BASE}/applications`)).items;
  let writes = 0;
  for (const app of apps) {
    if (!reconcileApp(app, new Date(), opts.syncMs)) continue;
    try {
      // Decided again on the object as read by the update (a person may have set `operation` meanwhile).
      await updateWithRetry<ArgoApp>(client, appPath(app), (current) => reconcileApp(current, new Date(), opts.syncMs));
      writes++;
    } catch (err) {
      opts.log?.('reconcile application failed', { app: app.metadata.name, error: (err as Error).message });
    }
  }
  return writes;
}

async function reconcileSet(client: KubeClient, set: ArgoAppSet, apps: ArgoApp[], opts: ArgoStandinOptions): Promise<void> {
  const ns = set.metadata.namespace ?? 'argocd';
  const existing = new Set(apps.filter((a) => a.metadata.namespace === ns).map((a) => a.metadata.name));
  for (const app of generateApps(set)) {
    if (existing.has(app.metadata.name)) continue;
    const res = await client.request('POST', `${BASE}/namespaces/${ns}/applications`, { body: app });
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating application ${app.metadata.name}: ${res.status} ${res.text}`);
    opts.log?.('application generated', { set: set.metadata.name, app: app.metadata.name });
  }
  if (set.spec?.strategy?.type !== 'RollingSync') return;
  const owned = apps.filter((a) => a.metadata.namespace === ns && ownedBy(a, set));
  const now = new Date();
  const plan = planRollingSync(set, owned.map(rollingSyncApp), now);
  for (const name of plan.toSync) {
    const app = owned.find((a) => a.metadata.name === name);
    if (!app) continue;
    await updateWithRetry<ArgoApp>(client, appPath(app), withAutomatedSync);
    opts.log?.('rolling sync: application synced', { set: set.metadata.name, app: name });
  }
  const status = appSetStatus(set, plan, now);
  if (status) {
    await updateWithRetry<ArgoAppSet & { metadata: { name: string } }>(
      client,
      `${BASE}/namespaces/${ns}/applicationsets/${set.metadata.name}`,
      (current) => {
        const next = appSetStatus(current, plan, now);
        return next ? { ...current, status: next } : undefined;
      },
      '/status',
    );
  }
}

export async function reconcileAppSets(client: KubeClient, opts: ArgoStandinOptions): Promise<void> {
  const sets = (await client.expectOk<List<ArgoAppSet>>('GET', `${BASE}/applicationsets`)).items;
  if (sets.length === 0) return;
  const apps = (await client.expectOk<List<ArgoApp>>('GET', `${BASE}/applications`)).items;
  for (const set of sets) {
    try {
      await reconcileSet(client, set, apps, opts);
    } catch (err) {
      opts.log?.('reconcile applicationset failed', { set: set.metadata.name, error: (err as Error).message });
    }
  }
}

export function startArgoStandin(opts: ArgoStandinOptions): { stop(): Promise<void> } {
  const client = new KubeClient(opts.target);
  const loops = [
    startLoop('argocd-applications', () => reconcileApps(client, opts), opts.appIntervalMs ?? 250, opts.log),
    startLoop('argocd-applicationsets', () => reconcileAppSets(client, opts), opts.appSetIntervalMs ?? 2000, opts.log),
  ];
  return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
}
