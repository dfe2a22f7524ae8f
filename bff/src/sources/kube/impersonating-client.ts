import { request, type RequestOptions } from 'node:https';

import type { KubeConfig } from '@kubernetes/client-node';

import type { Principal } from '@fleetdeck/shared';

export interface KubeAnswer<T = unknown> {
  status: number;
  body: T;
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

  constructor(kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.#kc = kc;
    this.#server = cluster.server;
  }

  request<T = unknown>(
    principal: Pick<Principal, 'user' | 'groups'>,
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string } = {},
  ): Promise<KubeAnswer<T>> {
    if (!principal.user) throw new Error('refusing an impersonated call without a user');
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
    const url = new URL(path, this.#server);
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
    opts.timeout = 15_000;
    return new Promise((resolve, reject) => {
      const req = request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
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
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}
