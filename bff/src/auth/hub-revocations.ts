import { Watch, type KubeConfig } from '@kubernetes/client-node';

import type { Logger } from '../lib/logger.ts';
import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import {
  HUB_REVOCATIONS_CAPACITY,
  REVOCATIONS_KEY,
  REVOCATIONS_SECRET,
  RevocationsSecret,
  boundEntries,
  decodeEntries,
  nextEntries,
  pruneEntries,
  revocationsSecret,
  sidHash,
  type RevocationEntries,
} from './hub-revocation-entries.ts';
import { RevocationList } from './revocations.ts';

export interface HubRevocationOptions {
  /** The hub as the BFF's own identity (never impersonating a person). */
  client: Pick<ImpersonatingClient, 'requestAsSelf'>;
  /** The same hub, for the watch (client-node's Watch streams; the client above does not). */
  kubeConfig: KubeConfig;
  /** Where the Secret lives: the leader Lease's namespace, where the BFF already has a Role. */
  namespace: string;
  logger: Pick<Logger, 'warn' | 'info' | 'debug'>;
  now?: () => number;
  /** Entries kept on the hub; default HUB_REVOCATIONS_CAPACITY. */
  capacity?: number;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** Conflicts in a row (other replicas writing at the same moment) before backing off. */
const CONFLICT_TRIES = 5;
/** The API server ends each watch after this; it resumes from the last resourceVersion (under client-node's 30 s idle cut). */
const WATCH_SECONDS = 25;
/** How long close() waits for revocations not yet on the hub. */
const STOP_FLUSH_MS = 5000;

const isTimeout = (err: unknown) => err instanceof Error && err.name === 'TimeoutError';

/**
 * The logout revocation list shared by every replica through one hub Secret
 * (`fleetdeck-revocations` in the Lease namespace), so a sign-out on one replica is refused
 * by the others within about a second.
 *
 * The local list (the base class) stays the fast path: a revocation is in force here at
 * once, then written to the hub in the background; a failed write is logged and retried,
 * never failing the sign-out. Writes are read-merge-write with the resourceVersion read
 * (409: read again, merge, retry), so concurrent sign-outs on several replicas all land.
 * Every replica follows the Secret with a watch (a GET at start and after a watch error),
 * so one started later, or restarted, refuses what was revoked before it ran.
 */
export class HubRevocationList extends RevocationList {
  readonly #o: Required<Omit<HubRevocationOptions, 'now'>>;
  readonly #now: () => number;
  readonly #path: string;
  /** What the hub said last (watch or our own write) and that object's resourceVersion. */
  #onHub: RevocationEntries = new Map();
  #objectVersion: string | undefined;
  /** Where the watch resumes (bookmarks move it on); undefined: from the current state. */
  #watchVersion: string | undefined;
  /** Revoked here and not yet seen written to the hub. */
  readonly #pending: RevocationEntries = new Map();
  #flushing: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #writeBackoffMs = MIN_BACKOFF_MS;
  #watchBackoffMs = MIN_BACKOFF_MS;
  #watchAbort: AbortController | undefined;
  #watchTimer: NodeJS.Timeout | undefined;
  #running = false;
  #warnedRead = false;

  constructor(options: HubRevocationOptions) {
    const now = options.now ?? Date.now;
    super({ now });
    this.#now = now;
    this.#o = { capacity: HUB_REVOCATIONS_CAPACITY, ...options };
    this.#path = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/secrets`;
  }

  override revoke(sid: string, untilMs: number): void {
    super.revoke(sid, untilMs);
    const hash = sidHash(sid);
    this.#pending.set(hash, Math.max(untilMs, this.#pending.get(hash) ?? 0));
    // The hub unreachable for long: what waits stays within what could ever be written.
    if (this.#pending.size > this.#o.capacity) {
      const kept = boundEntries(pruneEntries(this.#pending, this.#now()), this.#o.capacity);
      this.#pending.clear();
      for (const [h, until] of kept) this.#pending.set(h, until);
    }
    if (this.#running) this.#flushSoon();
  }

  override isRevoked(sid: string): boolean {
    if (super.isRevoked(sid)) return true;
    const until = this.#onHub.get(sidHash(sid));
    return until !== undefined && until > this.#now();
  }

  /** Reads the list (a failure is logged; the watch keeps trying), then follows it. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      await this.#read();
    } catch (err) {
      this.#readFailed(err);
    }
    this.#watchVersion = this.#objectVersion;
    this.#watch();
    if (this.#pending.size > 0) this.#flushSoon();
  }

  /** Stops following; waits a little for revocations not yet written. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#watchAbort?.abort();
    clearTimeout(this.#watchTimer);
    clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#pending.size === 0 && !this.#flushing) return;
    const last =
      this.#flushing ??
      this.#flush().catch((err: unknown) => this.#o.logger.warn({ err }, 'revocations not written to the hub at shutdown'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([last, new Promise<void>((r) => (timer = setTimeout(r, STOP_FLUSH_MS)))]);
    clearTimeout(timer);
  }

  #apply(secret: RevocationsSecret): void {
    this.#onHub = decodeEntries(secret.data?.[REVOCATIONS_KEY], this.#now());
    this.#objectVersion = secret.metadata.resourceVersion;
  }

  #applyAbsent(): void {
    this.#onHub = new Map();
    this.#objectVersion = undefined;
  }

  async #read(): Promise<void> {
    const res = await this.#o.client.requestAsSelf('GET', `${this.#path}/${REVOCATIONS_SECRET}`);
    if (res.status === 404) this.#applyAbsent();
    else if (res.status === 200) this.#apply(RevocationsSecret.parse(res.body));
    else throw new Error(`reading the revocation list answered ${res.status}`);
    this.#warnedRead = false;
  }

  #readFailed(err: unknown): void {
    if (this.#warnedRead) return this.#o.logger.debug({ err }, 'the hub revocation list could not be read');
    this.#warnedRead = true;
    this.#o.logger.warn(
      { err, secret: `${this.#o.namespace}/${REVOCATIONS_SECRET}` },
      'the hub revocation list could not be read: sign-outs on other replicas are not known here until it can (may the BFF get and watch this Secret?)',
    );
  }

  /** Read-merge-write until everything pending is on the hub; 409 means another replica wrote first. */
  async #flush(): Promise<void> {
    let conflicts = 0;
    let fresh = false;
    while (this.#pending.size > 0) {
      if (!fresh) await this.#read();
      const batch = new Map(this.#pending);
      const body = revocationsSecret(
        this.#o.namespace,
        nextEntries(this.#onHub, batch, this.#now(), this.#o.capacity),
        this.#objectVersion,
      );
      const res =
        this.#objectVersion === undefined
          ? await this.#o.client.requestAsSelf('POST', this.#path, { body })
          : await this.#o.client.requestAsSelf('PUT', `${this.#path}/${REVOCATIONS_SECRET}`, { body });
      if (res.status === 200 || res.status === 201) {
        this.#apply(RevocationsSecret.parse(res.body));
        fresh = true;
        for (const [hash, until] of batch) if ((this.#pending.get(hash) ?? 0) <= until) this.#pending.delete(hash);
        continue;
      }
      fresh = false;
      // 409: changed (PUT) or created (POST) by another replica; 404: deleted under us. Read again.
      if ((res.status === 409 || res.status === 404) && ++conflicts < CONFLICT_TRIES) continue;
      throw new Error(`writing the revocation list answered ${res.status}`);
    }
  }

  #flushSoon(): void {
    if (this.#flushing || this.#retry) return;
    this.#flushing = this.#flush()
      .then(
        () => {
          this.#writeBackoffMs = MIN_BACKOFF_MS;
        },
        (err: unknown) => {
          this.#o.logger.warn(
            { err, pending: this.#pending.size, retryInMs: this.#writeBackoffMs, secret: `${this.#o.namespace}/${REVOCATIONS_SECRET}` },
            'sign-outs could not be written to the hub revocation list (they are in force on this replica); retrying',
          );
          if (!this.#running) return;
          this.#retry = setTimeout(() => {
            this.#retry = undefined;
            this.#flushSoon();
          }, this.#writeBackoffMs);
          this.#retry.unref();
          this.#writeBackoffMs = Math.min(this.#writeBackoffMs * 2, MAX_BACKOFF_MS);
        },
      )
      .finally(() => {
        this.#flushing = undefined;
        // Revoked after the loop saw an empty queue.
        if (this.#running && this.#pending.size > 0 && !this.#retry) this.#flushSoon();
      });
  }

  /** Follows the Secret by name; a clean end resumes where it was, an error reads afresh first. */
  #watch(): void {
    if (!this.#running) return;
    const query = {
      fieldSelector: `metadata.name=${REVOCATIONS_SECRET}`,
      allowWatchBookmarks: true,
      timeoutSeconds: WATCH_SECONDS,
      ...(this.#watchVersion !== undefined && { resourceVersion: this.#watchVersion }),
    };
    const onEvent = (phase: string, obj: unknown) => {
      const version = (obj as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      if (phase === 'ERROR') {
        // 410 Gone: the version fell out of the API server's window; start from the current state.
        this.#watchVersion = undefined;
        return;
      }
      if (version !== undefined) this.#watchVersion = version;
      this.#watchBackoffMs = MIN_BACKOFF_MS;
      if (phase === 'ADDED' || phase === 'MODIFIED') {
        const parsed = RevocationsSecret.safeParse(obj);
        if (parsed.success) this.#apply(parsed.data);
      } else if (phase === 'DELETED') this.#applyAbsent();
    };
    const onDone = (err: unknown) => {
      this.#watchAbort = undefined;
      if (!this.#running) return;
      if (!err || isTimeout(err)) {
        this.#watchTimer = setTimeout(() => this.#watch(), 0);
        return;
      }
      this.#o.logger.debug({ err, retryInMs: this.#watchBackoffMs }, 'the hub revocation watch failed; reading and watching again');
      this.#watchTimer = setTimeout(() => void this.#rewatch(), this.#watchBackoffMs);
      this.#watchTimer.unref();
      this.#watchBackoffMs = Math.min(this.#watchBackoffMs * 2, MAX_BACKOFF_MS);
    };
    void new Watch(this.#o.kubeConfig).watch(this.#path, query, onEvent, onDone).then((abort) => {
      if (this.#running) this.#watchAbort = abort;
      else abort.abort();
    }, onDone);
  }

  async #rewatch(): Promise<void> {
    try {
      await this.#read();
      this.#watchVersion = this.#objectVersion;
    } catch (err) {
      this.#readFailed(err);
    }
    this.#watch();
  }
}
