import { request, type RequestOptions } from 'node:https';

import type { KubeConfig } from '@kubernetes/client-node';

import type { Principal } from '@fleetdeck/shared';

export interface KubeAnswer<T = unknown> {
  status: number;
  body: T;
}

/** Limits on one call, so no upstream can hold a request (or our memory) for long. */
export interface CallLimits {
  /** The whole call, connect to last byte; an idle timeout alone lets a trickling server hold us. */
  totalTimeoutMs: number;
  maxBodyBytes: number;
}

export const DEFAULT_CALL_LIMITS: CallLimits = { totalTimeoutMs: 15_000, maxBodyBytes: 32 * 1024 * 1024 };

/**
 * An API path under a server URL, keeping the server's own path prefix (Rancher's
 * cluster proxy serves a cluster at https://rancher/k8s/clusters/c-xxx); `new URL(path,
 * server)` would drop it.
 */
export function kubeUrl(server: string, path: string): URL {
  if (!path.startsWith('/')) throw new Error(`API path must start with "/": ${path}`);
  return new URL(server.replace(/\/+$/, '') + path);
}

/** The upstream did not answer within the limits; `message` is safe to show, the cause is for the log. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
}

/**
 * Principals that stand for the BFF itself (a rule acting on its own, e.g. the failure
 * threshold), recognised by object identity: nothing a person sends can become one, and a
 * copy is an ordinary user the API server does not know, so a slip fails closed.
 */
const selfPrincipals = new WeakSet<object>();

/** A principal under which `request` makes the call as the BFF's own identity; `user` is what audits name. */
export function selfPrincipal(user: string): Pick<Principal, 'user' | 'groups'> {
  const p = Object.freeze({ user, groups: [] as string[] });
  selfPrincipals.add(p);
  return p;
}

/**
 * Calls a Kubernetes API server as a person: the BFF authenticates with its own
 * credentials and adds `Impersonate-User` plus one `Impersonate-Group` header line per
 * group, so the API server's RBAC decides and its audit log names the person.
 *
 * `@kubernetes/client-node`'s fetch layer cannot send repeated header lines (a
 * comma-joined value would be one wrong group), hence node:https with an array value.
 */
export class ImpersonatingClient {
  readonly #kc: KubeConfig;
  readonly #server: string;
  readonly #limits: CallLimits;

  constructor(kc: KubeConfig, limits: Partial<CallLimits> = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.#kc = kc;
    // Keep a path prefix (Rancher's cluster proxy: https://rancher/k8s/clusters/c-xxx).
    this.#server = cluster.server.replace(/\/+$/, '');
    this.#limits = { ...DEFAULT_CALL_LIMITS, ...limits };
  }

  request<T = unknown>(
    principal: Pick<Principal, 'user' | 'groups'>,
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string } = {},
  ): Promise<KubeAnswer<T>> {
    if (!principal.user) throw new Error('refusing an impersonated call without a user');
    if (selfPrincipals.has(principal)) return this.requestAsSelf<T>(method, path, options);
    return this.#withRetry(() => this.#send<T>(principal, method, path, options));
  }

  /**
   * The API server answers 429 while a new resource's storage initialises and under
   * priority-and-fairness load; it says when to come back. Two short retries, then the
   * answer stands.
   */
  async #withRetry<T>(call: () => Promise<KubeAnswer<T> & { retryAfter?: number }>): Promise<KubeAnswer<T>> {
    for (let attempt = 0; ; attempt++) {
      const answer = await call();
      if (answer.status !== 429 || attempt >= 2) return { status: answer.status, body: answer.body };
      await new Promise((r) => setTimeout(r, Math.min(2, answer.retryAfter ?? 1) * 1000));
    }
  }

  /** A call under the BFF's own identity: only for what the BFF itself does (audit events). */
  requestAsSelf<T = unknown>(method: string, path: string, options: { body?: unknown; contentType?: string } = {}): Promise<KubeAnswer<T>> {
    return this.#withRetry(() => this.#send<T>(undefined, method, path, options));
  }

  async #send<T>(
    principal: Pick<Principal, 'user' | 'groups'> | undefined,
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string },
  ): Promise<KubeAnswer<T> & { retryAfter?: number }> {
    const url = kubeUrl(this.#server, path);
    const opts: RequestOptions = { method, headers: {} };
    await this.#kc.applyToHTTPSOptions(opts);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    opts.headers = {
      ...(opts.headers as Record<string, string>),
      accept: 'application/json',
      ...(principal && { 'impersonate-user': principal.user }),
      // Node sends an array value as one header line per element.
      ...(principal && principal.groups.length > 0 && { 'impersonate-group': [...principal.groups] }),
      ...(payload !== undefined && {
        'content-type': options.contentType ?? 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
      }),
    };
    const { totalTimeoutMs, maxBodyBytes } = this.#limits;
    opts.timeout = totalTimeoutMs;
    return new Promise((resolve, reject) => {
      const fail = (message: string, cause?: unknown) => {
        clearTimeout(total);
        req.destroy();
        reject(new UpstreamFailure(message, cause === undefined ? undefined : { cause }));
      };
      const total = setTimeout(() => fail(`no complete answer within ${totalTimeoutMs / 1000} s`), totalTimeoutMs);
      const req = request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes > maxBodyBytes) fail(`answer larger than ${Math.round(maxBodyBytes / 1024 / 1024)} MiB`);
          else chunks.push(c);
        });
        res.on('error', (err) => fail('the connection broke mid-answer', err));
        res.on('end', () => {
          clearTimeout(total);
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Plain-text answers (e.g. logs) stay text.
          }
          const retryAfter = Number(res.headers['retry-after']);
          resolve({ status: res.statusCode ?? 0, body: body as T, ...(Number.isFinite(retryAfter) && { retryAfter }) });
        });
      });
      req.on('timeout', () => fail(`no answer within ${totalTimeoutMs / 1000} s`));
      req.on('error', (err) => fail('not reachable', err));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}
