import type { KubeConfig } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { restart, targets, watched, type Watched } from './cluster-watch.ts';
import { mapConstraint, type MappedConstraint } from './map-gatekeeper.ts';
import { mapReport, type MappedReport } from './map-report.ts';
import { netPolicyInfo, type NetPolicyInfo } from './network-policy.ts';
import { kyvernoPolicyInfo, templateInfo, type KyvernoPolicyInfo, type TemplateInfo } from './policy-objects.ts';
import { strMap, str } from './raw-objects.ts';
import type { NamespaceInfo } from './isolation.ts';

/** What one spoke's informers hold now, already mapped (raw objects are never kept). */
export interface ClusterData {
  constraints: MappedConstraint[];
  reports: MappedReport[];
  templates: TemplateInfo[];
  kyverno: KyvernoPolicyInfo[];
  netpols: NetPolicyInfo[];
  namespaces: NamespaceInfo[];
}

const CONSTRAINTS = ['constraints.gatekeeper.sh', 'v1beta1'] as const;

/**
 * The informers of one member cluster, read with the BFF's own identity: every
 * discovered constraint kind, policy reports (wgpolicyk8s.io and openreports.io where
 * served), ConstraintTemplates and Kyverno policies (coverage), NetworkPolicies and
 * Namespaces (isolation). A group a spoke does not serve is not watched; a new
 * ConstraintTemplate triggers discovery again (it brings a new constraint kind).
 */
export class SpokeCluster {
  readonly name: string;
  readonly #kc: KubeConfig;
  readonly #logger: Logger;
  readonly #onChange: () => void;
  readonly #watches = new Map<string, Watched<unknown>>();
  #started = false;
  #stopped = false;
  #failed: string | undefined;
  #retry: NodeJS.Timeout | undefined;
  #backoffMs = 1000;
  lastSyncAt: Date | undefined;

  constructor(name: string, kc: KubeConfig, logger: Logger, onChange: () => void) {
    this.name = name;
    this.#kc = kc;
    this.#logger = logger;
    this.#onChange = onChange;
  }

  get live(): boolean {
    return this.#started && !this.#failed && [...this.#watches.values()].every((w) => !w.down);
  }

  async start(): Promise<void> {
    try {
      await this.#discoverAndWatch();
      this.#failed = undefined;
      this.#started = true;
      this.#backoffMs = 1000;
      if (this.live) this.lastSyncAt = new Date();
    } catch (err) {
      this.#failed = 'discovery failed';
      this.#logger.warn({ err, cluster: this.name, retryInMs: this.#backoffMs }, 'spoke discovery failed; retrying');
      if (this.#stopped) return;
      this.#retry = setTimeout(() => void this.start().then(this.#onChange), this.#backoffMs);
      this.#backoffMs = Math.min(this.#backoffMs * 2, 30_000);
    }
    this.#onChange();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    clearTimeout(this.#rediscover);
    await Promise.all(
      [...this.#watches.values()].map(async (w) => {
        clearTimeout(w.retry);
        await w.informer.stop();
      }),
    );
  }

  /** Whenever the watches are all up again, this is the newest time the cluster was in sync. */
  touch(): void {
    if (this.live) this.lastSyncAt = new Date();
  }

  async #discoverAndWatch(): Promise<void> {
    const t = targets(this.#kc);
    const [constraintKinds, templates, kyverno, wg, openreports] = await Promise.all([
      t.discover(...CONSTRAINTS),
      t.discover('templates.gatekeeper.sh', 'v1'),
      t.discover('kyverno.io', 'v1'),
      t.discover('wgpolicyk8s.io', 'v1alpha2'),
      t.discover('openreports.io', 'v1alpha1'),
    ]);
    const wanted = [
      ...(constraintKinds ?? []).map((r) =>
        t.custom(...CONSTRAINTS, r.name, false)(`constraints/${r.name}`, (o) => this.#logged(mapConstraint(o, this.name))),
      ),
      ...(templates?.some((r) => r.name === 'constrainttemplates')
        ? [t.custom('templates.gatekeeper.sh', 'v1', 'constrainttemplates', false)('constrainttemplates', templateInfo)]
        : []),
      ...(kyverno ?? [])
        .filter((r) => r.name === 'clusterpolicies' || r.name === 'policies')
        .map((r) => t.custom('kyverno.io', 'v1', r.name, r.namespaced)(`kyverno/${r.name}`, kyvernoPolicyInfo)),
      ...[
        ...(wg ?? []).map((r) => ({ group: 'wgpolicyk8s.io', version: 'v1alpha2', r })),
        ...(openreports ?? []).map((r) => ({ group: 'openreports.io', version: 'v1alpha1', r })),
      ]
        .filter(({ r }) => ['policyreports', 'clusterpolicyreports', 'reports', 'clusterreports'].includes(r.name))
        .map(({ group, version, r }) =>
          t.custom(group, version, r.name, r.namespaced)(`${group}/${r.name}`, (o) => this.#logged(mapReport(o, this.name))),
        ),
      t.networkPolicies(netPolicyInfo),
      t.namespaces((o): NamespaceInfo | undefined => {
        const name = str(o.metadata?.name);
        return name ? { name, labels: strMap(o.metadata?.labels) } : undefined;
      }),
    ];
    // A removed template takes its constraint kind away: stop watching it (its watch would only fail).
    const served = new Set(wanted.map((w) => w.what));
    for (const [what, w] of this.#watches) if (what.startsWith('constraints/') && !served.has(what)) this.#drop(w);
    const fresh = wanted.filter((w) => !this.#watches.has(w.what));
    const hooks = {
      logger: this.#logger,
      cluster: this.name,
      onChange: () => {
        this.touch();
        this.#onChange();
      },
      onState: () => {
        this.touch();
        this.#onChange();
      },
      // A constraint kind that is gone (404: its CRD went with its template) is not an
      // outage: stop watching it and look again.
      onError: (err: unknown, w: Watched<unknown>) => {
        // List failures carry `code`, watch failures `statusCode`.
        const e = err as { code?: number; statusCode?: number } | undefined;
        // Only the discovered constraint kinds come and go; any other 404 stays an outage
        // (a proxy answering 404 for a lost cluster must not look like "no violations").
        if ((e?.code ?? e?.statusCode) !== 404 || !w.what.startsWith('constraints/')) return;
        this.#drop(w);
        this.#rediscoverSoon();
      },
      stopped: () => this.#stopped,
    };
    const started = fresh.map((target) => {
      const w = watched<unknown>(this.#kc, target, hooks);
      this.#watches.set(target.what, w);
      return w;
    });
    // A new template brings a new constraint kind: look again once it has been created.
    const tmpl = started.find((w) => w.what === 'constrainttemplates');
    if (tmpl) {
      tmpl.informer.on('add', () => this.#rediscoverSoon());
      tmpl.informer.on('delete', () => this.#rediscoverSoon());
    }
    await Promise.all(started.map((w) => restart(w, hooks.onState)));
  }

  #drop(w: Watched<unknown>): void {
    if (w.removed) return;
    w.removed = true;
    clearTimeout(w.retry);
    this.#watches.delete(w.what);
    void w.informer.stop();
    this.#onChange();
  }

  /** Mappers never throw: what they leave out is logged (once per object version, as it arrives). */
  #logged<M extends { dropped: string[] }>(m: M): M {
    if (m.dropped.length) this.#logger.warn({ cluster: this.name, dropped: m.dropped }, 'policy findings left out');
    return { ...m, dropped: [] };
  }

  #rediscover: NodeJS.Timeout | undefined;
  #rediscoverSoon(): void {
    if (!this.#started || this.#stopped) return;
    clearTimeout(this.#rediscover);
    // Gatekeeper needs a moment to create the constraint CRD after the template appears.
    this.#rediscover = setTimeout(() => {
      this.#discoverAndWatch().catch((err: unknown) => this.#logger.warn({ err, cluster: this.name }, 'constraint kind discovery failed'));
    }, 2000);
    this.#rediscover.unref();
  }

  data(): ClusterData {
    const kept = <S>(what: (w: string) => boolean) =>
      [...this.#watches.values()]
        .filter((w) => what(w.what))
        .flatMap((w) => w.informer.list().flatMap((o) => (o.kept ? [o.kept as S] : [])));
    return {
      constraints: kept<MappedConstraint>((w) => w.startsWith('constraints/')),
      reports: kept<MappedReport>((w) => w.includes('reports')),
      templates: kept<TemplateInfo>((w) => w === 'constrainttemplates'),
      kyverno: kept<KyvernoPolicyInfo>((w) => w.startsWith('kyverno/')),
      netpols: kept<NetPolicyInfo>((w) => w === 'networkpolicies'),
      namespaces: kept<NamespaceInfo>((w) => w === 'namespaces'),
    };
  }
}
