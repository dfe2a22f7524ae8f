import { request } from 'node:https';

/**
 * A minimal Kubernetes API client for the testbed's own setup: server-side apply,
 * status patches, raw GETs. It speaks HTTPS with a client certificate directly, so
 * setup code controls every header (including repeated Impersonate-Group lines).
 */
export interface KubeTarget {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export class KubeError extends Error {
  readonly status: number;
  constructor(method: string, path: string, status: number, text: string) {
    super(`${method} ${path} → ${status}: ${text.slice(0, 500)}`);
    this.status = status;
  }
}

/** Kinds the testbed writes, and where they live. Built-ins plus our CRDs. */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  Secret: { plural: 'secrets', namespaced: true },
  Pod: { plural: 'pods', namespaced: true },
  ConfigMap: { plural: 'configmaps', namespaced: true },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  ClusterRole: { plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false },
  Role: { plural: 'roles', namespaced: true },
  RoleBinding: { plural: 'rolebindings', namespaced: true },
  CustomResourceDefinition: { plural: 'customresourcedefinitions', namespaced: false },
};

export function registerResource(kind: string, plural: string, namespaced: boolean): void {
  RESOURCES[kind] = { plural, namespaced };
}

export function objectPath(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const res = RESOURCES[obj.kind];
  if (!res) throw new Error(`testbed client does not know kind ${obj.kind}; registerResource it`);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = res.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
  return `${base}${ns}/${res.plural}/${obj.metadata.name}`;
}

export class KubeClient {
  readonly target: KubeTarget;

  constructor(target: KubeTarget) {
    this.target = target;
  }

  request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; headers?: Record<string, string | string[]> } = {},
  ): Promise<KubeResponse<T>> {
    const url = new URL(path, this.target.url);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.target.ca,
          cert: this.target.cert,
          key: this.target.key,
          headers: {
            accept: 'application/json',
            ...(payload !== undefined && {
              'content-type': options.contentType ?? 'application/json',
              'content-length': Buffer.byteLength(payload),
            }),
            ...options.headers,
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // Not JSON (e.g. /readyz answers "ok"); keep the text.
            }
            resolve({ status: res.statusCode ?? 0, body: body as T, text });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async expectOk<T = unknown>(method: string, path: string, options: Parameters<KubeClient['request']>[2] = {}): Promise<T> {
    const res = await this.request<T>(method, path, options);
    if (res.status < 200 || res.status >= 300) throw new KubeError(method, path, res.status, res.text);
    return res.body;
  }

  /** Server-side apply: creates or updates, owned by the testbed's field manager. */
  apply<T extends KubeObject>(obj: T): Promise<T> {
    const { status: _status, ...withoutStatus } = obj;
    return this.expectOk<T>('PATCH', `${objectPath(obj)}?fieldManager=fleetdeck-testbed&force=true`, {
      body: withoutStatus,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** Merge-patches the status subresource, as controllers do. */
  patchStatus(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, status: unknown): Promise<unknown> {
    return this.expectOk('PATCH', `${objectPath(obj)}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
  }
}
