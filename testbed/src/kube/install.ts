import { registerResource, type KubeClient, type KubeObject } from './client.ts';
import { HUB_CRDS, SPOKE_CRDS } from './crds.ts';
import type { SeedObject } from './seed.ts';

interface CrdShape {
  metadata: { name: string };
  spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string }[] };
}

for (const crd of [...HUB_CRDS, ...SPOKE_CRDS] as unknown as CrdShape[]) {
  registerResource(crd.spec.names.kind, crd.spec.names.plural, crd.spec.scope === 'Namespaced');
}

/** Applies CRDs and waits until the API server serves them (condition Established). */
export async function installCrds(client: KubeClient, crds: readonly Record<string, unknown>[], timeoutMs = 30_000): Promise<void> {
  for (const crd of crds) await client.apply(crd as unknown as KubeObject);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds as unknown as CrdShape[]) {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    for (;;) {
      const res = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', path);
      if (res.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Applies objects (then their status) with bounded concurrency; namespaces first. */
export async function applySeed(client: KubeClient, seed: readonly SeedObject[], concurrency = 8): Promise<void> {
  const namespaces = seed.filter((s) => s.object.kind === 'Namespace');
  for (const item of namespaces) await client.apply(item.object);
  const rest = seed.filter((s) => s.object.kind !== 'Namespace');
  let next = 0;
  const worker = async () => {
    while (next < rest.length) {
      const item = rest[next++]!;
      await client.apply(item.object);
      if (item.status !== undefined) await client.patchStatus(item.object, item.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
