import { readFileSync, statSync, type Stats } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';

import { KubeConfig, type User } from '@kubernetes/client-node';

// client-node does not export the interface its addAuthenticator takes.
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type AuthOptions = Parameters<Authenticator['applyAuthentication']>[1];

/** Where the kubelet projects a pod's ServiceAccount token, CA bundle and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const PROVIDER = 'fleetdeck-projected-token';
/** Even when the file looks unchanged, read it again this often (what client-go does). */
const MAX_TOKEN_AGE_MS = 60_000;

/**
 * The pod's ServiceAccount token, re-read when the kubelet replaces it. Projected tokens
 * expire (an hour by default) and the kubelet writes a new one well before, swapping a
 * symlink; a stat per request sees the new file at once (client-node's own file provider
 * would keep the old token for up to a minute, and reads a fixed path).
 */
export class ProjectedTokenFile implements Authenticator {
  readonly #path: string;
  #token = '';
  #key = '';
  #readAt = 0;

  constructor(path: string) {
    this.#path = path;
    this.token();
  }

  isAuthProvider(user: User): boolean {
    // client-node types authProvider as any.
    return (user.authProvider as { name?: unknown } | undefined)?.name === PROVIDER;
  }

  applyAuthentication(_user: User, opts: AuthOptions): Promise<void> {
    // KubeConfig hands us an object it created for the headers (never a raw header array).
    const headers = opts.headers && !Array.isArray(opts.headers) ? opts.headers : {};
    opts.headers = { ...headers, Authorization: `Bearer ${this.token()}` };
    return Promise.resolve();
  }

  /** The current token: the file's content, read again when it changed (or got old). */
  token(): string {
    let stat: Stats;
    try {
      stat = statSync(this.#path);
    } catch (err) {
      // A missing file mid-swap: keep the token we have; with none, say where we looked.
      if (this.#token) return this.#token;
      throw new Error(`in-cluster mode: cannot read the ServiceAccount token at ${this.#path}`, { cause: err });
    }
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    if (key !== this.#key || Date.now() - this.#readAt > MAX_TOKEN_AGE_MS) {
      const token = readFileSync(this.#path, 'utf8').trim();
      if (!token && !this.#token) throw new Error(`in-cluster mode: the ServiceAccount token at ${this.#path} is empty`);
      // An empty read (a file being written) keeps the previous token.
      if (token) this.#token = token;
      this.#key = key;
      this.#readAt = Date.now();
    }
    return this.#token;
  }
}

export interface InClusterOptions {
  /** The environment the kubelet set (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT). */
  env?: NodeJS.ProcessEnv;
  /** Where the token, CA and namespace files are; FLEETDECK_SERVICEACCOUNT_DIR or the kubelet's path. */
  dir?: string;
}

/** Whether the BFF runs in a pod: the kubelet sets KUBERNETES_SERVICE_HOST in every container. */
export function runsInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST);
}

/**
 * The hub as the pod's ServiceAccount sees it: the API server's in-cluster Service
 * address, the projected CA bundle, and the projected token (re-read when it rotates).
 */
export function inClusterKubeConfig(options: InClusterOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT || '443';
  if (!host) throw new Error('in-cluster mode: KUBERNETES_SERVICE_HOST is not set (not running in a pod?)');
  const dir = options.dir ?? env.FLEETDECK_SERVICEACCOUNT_DIR ?? SERVICE_ACCOUNT_DIR;
  const caFile = join(dir, 'ca.crt');
  try {
    statSync(caFile);
  } catch (err) {
    throw new Error(`in-cluster mode: no CA bundle at ${caFile}`, { cause: err });
  }
  const tokenFile = new ProjectedTokenFile(join(dir, 'token'));
  const kc = new KubeConfig();
  kc.addAuthenticator(tokenFile);
  kc.loadFromClusterAndUser(
    { name: 'in-cluster', server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`, caFile, skipTLSVerify: false },
    { name: 'service-account', authProvider: { name: PROVIDER, config: { path: join(dir, 'token') } } },
  );
  return kc;
}
