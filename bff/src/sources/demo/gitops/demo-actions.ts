import type { DeliveryActionResult } from '@fleetdeck/shared';

import { DeliveryActionError } from '../../gitops/delivery-source.ts';
import { commitOf, fraction } from './demo-git.ts';
import type { AppState, DemoDelivery, RepoState } from './demo-state.ts';

/** What the actions need from the source: its clock, a timer it can clear on stop, and a way to publish a change. */
export interface DemoClock {
  now(): number;
  later(ms: number, step: () => void): void;
  changed(d: DemoDelivery): void;
}

/** Argo CD's controller picks an `operation` up about this long after it is set. */
const SYNC_PICKUP_MS = 2000;
/** A sync then runs for 2–4 s more (fixed per app and attempt), so it ends 4–6 s after it was asked for. */
const SYNC_RUN_MS = 2000;
/** Fleet's git job after a force update, then the agents applying the re-rendered bundles. */
const GIT_JOB_MS = 2000;
const APPLY_MS = 2500;
/** After a resume the held bundles start applying about this soon. */
const RESUME_MS = 1000;
/** Force-update clicks remembered per GitRepo (a retry or a second replica comes within seconds). */
const CLICKS_KEPT = 20;

const iso = (ms: number) => new Date(ms).toISOString();
const HEX40 = /^[0-9a-f]{40}$/;

/**
 * The demo's delivery actions, in memory, with the same answers as the real ones
 * (bff/src/sources/gitops/fleet/delivery-actions.ts, argocd/sync-operation.ts and
 * argocd/argo-actions.ts): each action changes the delivery at once, and the controllers
 * it stands in for (Fleet's git job and agents, Argo CD's application controller) move it
 * on a few seconds later.
 */
export class DemoDeliveryActions {
  readonly #clock: DemoClock;
  /** Per GitRepo, the latest apply started: a pause or a newer apply makes an older one's later steps stale. */
  readonly #applying = new Map<string, number>();
  #syncs = 0;

  constructor(clock: DemoClock) {
    this.#clock = clock;
  }

  /** `spec.forceSyncGeneration = (current || 1) + 1`, once per click. */
  forceUpdate(r: RepoState, click: string): DeliveryActionResult {
    if (r.clicks.includes(click)) return { outcome: 'no-op', message: `Already applied: this force update of ${r.name} was made before` };
    const from = r.forceSyncGeneration;
    const to = (from || 1) + 1;
    r.forceSyncGeneration = to;
    r.clicks = [...r.clicks, click].slice(-CLICKS_KEPT);
    r.gitJob = 'InProgress';
    delete r.gitJobMessage;
    this.#clock.changed(r);
    this.#clock.later(GIT_JOB_MS, () => {
      r.gitJob = r.gitFailure ? 'Failed' : 'Current';
      if (r.gitFailure) r.gitJobMessage = r.gitFailure;
      else this.#apply(r);
      this.#clock.changed(r);
    });
    return { outcome: 'done', message: `forceSyncGeneration ${from} → ${to}: Fleet redeploys ${r.name}` };
  }

  /** GitRepo `spec.paused`; resuming lets the held commit roll out. */
  setPaused(r: RepoState, paused: boolean): DeliveryActionResult {
    if (r.paused === paused) return { outcome: 'no-op', message: `${r.name} is already ${paused ? 'paused' : 'running'}` };
    r.paused = paused;
    this.#applying.set(r.id, (this.#applying.get(r.id) ?? 0) + 1);
    this.#clock.changed(r);
    if (!paused) {
      const epoch = this.#applying.get(r.id);
      this.#clock.later(RESUME_MS, () => {
        if (this.#applying.get(r.id) === epoch && this.#apply(r)) this.#clock.changed(r);
      });
    }
    const message = paused
      ? `${r.name} paused: Fleet still renders new commits but deploys none until it is resumed`
      : `${r.name} resumed: Fleet deploys its latest commit`;
    return { outcome: 'done', message };
  }

  /**
   * Bundles re-applied: drifted (Modified) and held (OutOfSync) clusters go WaitApplied now,
   * then Ready on the rendered commit. Failing ones (ErrApplied) and clusters whose agent is
   * away (NotReady, or WaitApplied already) stay as they are. False: nothing to apply.
   */
  #apply(r: RepoState): boolean {
    const epoch = (this.#applying.get(r.id) ?? 0) + 1;
    this.#applying.set(r.id, epoch);
    if (r.paused) return false;
    const moving = r.targets.filter((t) => t.state === 'Modified' || t.state === 'OutOfSync');
    for (const t of moving) {
      t.state = 'WaitApplied';
      t.message = `applying commit ${r.commit.slice(0, 7)}`;
    }
    if (moving.length === 0) return false;
    this.#clock.later(APPLY_MS, () => {
      // A pause or a newer apply since: this one is stale.
      if (this.#applying.get(r.id) !== epoch || r.paused) return;
      const at = this.#clock.now();
      for (const t of moving) {
        if (t.state !== 'WaitApplied') continue;
        t.state = 'Ready';
        if (t.appliedCommit !== r.commit) t.appliedAt = at;
        t.appliedCommit = r.commit;
        t.resources = [];
        delete t.message;
      }
      this.#clock.changed(r);
    });
    return true;
  }

  /** Argo CD sync as its API server asks for it: refused while one is set; else `operation` set and `operationState` cleared. */
  sync(user: string, a: AppState, options: { revision?: string; prune?: boolean }): DeliveryActionResult {
    if (a.pendingBy !== undefined) {
      const running = a.operation?.phase === 'Running' || a.operation?.phase === 'Terminating';
      const at = running ? a.operation?.startedAt : undefined;
      throw new DeliveryActionError(
        409,
        `a sync is already running (started by ${a.pendingBy}${at ? ` at ${at}` : ''}); wait for it to finish`,
      );
    }
    const to = this.#resolve(a, options.revision);
    const attempt = ++this.#syncs;
    a.pendingBy = user;
    delete a.operation;
    this.#clock.changed(a);
    this.#clock.later(SYNC_PICKUP_MS, () => {
      const healthBefore = a.health;
      const startedAt = iso(this.#clock.now());
      a.operation = { phase: 'Running', startedAt, message: 'one or more tasks are running', revision: to, initiatedBy: user };
      a.health = 'Progressing';
      this.#clock.changed(a);
      this.#clock.later(SYNC_RUN_MS + Math.floor(fraction('sync', a.name, attempt) * 2000), () =>
        this.#finish(a, user, to, startedAt, healthBefore),
      );
    });
    const target = options.revision ? `revision ${options.revision}` : 'its target revision';
    return { outcome: 'done', message: `Sync of ${a.name} to ${target} asked${options.prune ? ' (with prune)' : ''}` };
  }

  /** The commit a sync goes to: the app's own revision's head, a commit as given, else what the branch or tag names (fixed per repo, as in the catalogue). */
  #resolve(a: AppState, revision: string | undefined): string {
    if (!revision || revision === a.targetRevision || revision === 'HEAD' || revision === 'main') return a.headCommit;
    return HEX40.test(revision) ? revision : commitOf(a.repo, revision);
  }

  #finish(a: AppState, user: string, to: string, startedAt: string, healthBefore: AppState['health']): void {
    const now = this.#clock.now();
    const failure = a.afterSync.failure ?? (healthBefore === 'Unknown' ? 'failed to sync: the cluster did not answer' : undefined);
    delete a.pendingBy;
    a.reconciledAt = now;
    if (failure) {
      a.operation = { phase: 'Failed', startedAt, finishedAt: iso(now), message: failure, revision: to, initiatedBy: user };
      a.health = healthBefore;
    } else {
      a.operation = {
        phase: 'Succeeded',
        startedAt,
        finishedAt: iso(now),
        message: 'successfully synced (all tasks run)',
        revision: to,
        initiatedBy: user,
      };
      a.sync = to === a.headCommit ? 'Synced' : 'OutOfSync';
      a.health = a.afterSync.health;
      a.history = [...a.history, { deployedAt: now, revision: to }].slice(-10);
      a.resources = a.afterSync.resources ? [...a.afterSync.resources] : [];
      if (a.afterSync.health === 'Healthy') delete a.message;
    }
    this.#clock.changed(a);
  }

  /** Annotation `argocd.argoproj.io/refresh`: the controller compares again at once. */
  refresh(a: AppState, hard: boolean): DeliveryActionResult {
    a.reconciledAt = this.#clock.now();
    this.#clock.changed(a);
    const what = hard ? 'freshly rendered manifests' : 'git';
    return { outcome: 'done', message: `${hard ? 'Hard refresh' : 'Refresh'} of ${a.name} asked: Argo CD compares it with ${what} again` };
  }
}
