import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { parseAllDocuments } from 'yaml';

import { resolveHelm } from '@fleetdeck/testbed/binaries';
import type { kubeClient } from '@fleetdeck/testbed/kube-client';

type KubeClient = ReturnType<typeof kubeClient>;

/** One rendered manifest. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export const HUB_CHART = fileURLToPath(new URL('../../../deploy/helm/fleetdeck', import.meta.url));
export const MEMBER_CHART = fileURLToPath(new URL('../../../deploy/helm/fleetdeck-member', import.meta.url));

/** The chart's values file for one source mix (deploy/helm/fleetdeck/ci/<mix>-values.yaml). */
export const mixValues = (mix: string): string => `${HUB_CHART}/ci/${mix}-values.yaml`;

let helmBin: string | undefined;

export interface HelmRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the helm the testbed built from the Go module proxy (built now if it is not yet). */
export function helm(args: string[]): HelmRun {
  helmBin ??= resolveHelm();
  // No user config, cache or plugins of the machine leak into the run.
  const home = '/tmp/fleetdeck-helm-home';
  const r = spawnSync(helmBin, args, {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    env: { PATH: process.env.PATH, HELM_CONFIG_HOME: `${home}/config`, HELM_CACHE_HOME: `${home}/cache`, HELM_DATA_HOME: `${home}/data` },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
}

const renderArgs = (chart: string, o: RenderOptions) => [
  'template',
  o.release ?? 'fleetdeck',
  chart,
  '--namespace',
  o.namespace ?? 'fleetdeck',
  ...(o.values ?? []).flatMap((f) => ['-f', f]),
  ...(o.set ?? []).flatMap((s) => ['--set', s]),
];

/** `helm template`, failing the test with helm's words when it refuses. */
export function render(chart: string, o: RenderOptions = {}): KubeObject[] {
  const r = helm(renderArgs(chart, o));
  if (r.status !== 0) throw new Error(`helm template ${chart} failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** `helm template` expected to be refused: helm's error text. */
export function renderError(chart: string, o: RenderOptions = {}): string {
  const r = helm(renderArgs(chart, o));
  if (r.status === 0) throw new Error(`helm template ${chart} rendered, expected a refusal`);
  return r.stderr;
}

export const ofKind = (objects: KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);

export function one(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, rendered ${found.length}`);
  return found[0]!;
}

/** Where each kind the charts render lives in the API. */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  ConfigMap: { plural: 'configmaps', namespaced: true },
  Secret: { plural: 'secrets', namespaced: true },
  Service: { plural: 'services', namespaced: true },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  Deployment: { plural: 'deployments', namespaced: true },
  PodDisruptionBudget: { plural: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { plural: 'networkpolicies', namespaced: true },
  Ingress: { plural: 'ingresses', namespaced: true },
  ServiceMonitor: { plural: 'servicemonitors', namespaced: true },
  Role: { plural: 'roles', namespaced: true },
  RoleBinding: { plural: 'rolebindings', namespaced: true },
  ClusterRole: { plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false },
  Namespace: { plural: 'namespaces', namespaced: false },
};

export function kubePath(obj: KubeObject, fallbackNamespace: string): string {
  const res = RESOURCES[obj.kind];
  if (!res) throw new Error(`no API path known for kind ${obj.kind}`);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = res.namespaced ? `/namespaces/${obj.metadata.namespace ?? fallbackNamespace}` : '';
  return `${base}${ns}/${res.plural}/${encodeURIComponent(obj.metadata.name)}`;
}

/** Server-side apply of one object (dry run: validated and admitted by the API server, not stored). */
export async function serverSideApply(
  client: KubeClient,
  obj: KubeObject,
  o: { namespace: string; dryRun: boolean },
): Promise<{ status: number; text: string }> {
  const query = `fieldManager=fleetdeck-helm-test&force=true${o.dryRun ? '&dryRun=All' : ''}`;
  const res = await client.request('PATCH', `${kubePath(obj, o.namespace)}?${query}`, {
    body: obj,
    contentType: 'application/apply-patch+yaml',
  });
  return { status: res.status, text: res.text };
}

export interface Access {
  verb: string;
  resource: string;
  group?: string;
  name?: string;
  namespace?: string;
  subresource?: string;
}

/** A SubjectAccessReview (what `kubectl auth can-i --as` asks): may this subject do this? */
export async function canI(client: KubeClient, subject: { user: string; groups: string[] }, access: Access): Promise<boolean> {
  const res = await client.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { ...subject, resourceAttributes: { group: '', ...access } },
    },
  });
  if (res.status !== 201) throw new Error(`SubjectAccessReview → ${res.status}: ${res.text}`);
  return res.body.status?.allowed === true;
}

/** The identity a ServiceAccount's token authenticates as. */
export const serviceAccountSubject = (namespace: string, name: string) => ({
  user: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
});
