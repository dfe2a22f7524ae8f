import { API_SERVER_ANNOTATION, type Cluster } from '@fleetdeck/shared';

/**
 * Which inventory cluster an Argo CD Application deploys to, without Argo CD's cluster
 * Secrets (they hold credentials): `spec.destination.server` against the inventory
 * clusters' `fleetdeck.dev/api-server` annotation, or `spec.destination.name` equal to an
 * inventory cluster's name. Anything else (the in-cluster `https://kubernetes.default.svc`,
 * a cluster the inventory does not know) is unmapped.
 */

/**
 * One spelling per API server URL: scheme and host lowercased, the default port of the
 * scheme dropped (443 for https, 80 for http), a path of "/" or trailing slashes dropped.
 * A path is kept (Rancher's proxy: /k8s/clusters/c-xxx); undefined for what is no URL.
 */
export function normaliseServerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // URL already lowercases scheme and host and drops the scheme's default port.
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export interface DestinationIndex {
  byServer: ReadonlyMap<string, string>;
  byName: ReadonlySet<string>;
  /** Changes exactly when a mapping could change: the clusters' names and annotated URLs. */
  signature: string;
}

/** The lookup for a set of inventory clusters (a URL claimed by two clusters maps to neither: ambiguous). */
export function destinationIndex(
  clusters: readonly { name: Cluster['name']; annotations: Readonly<Record<string, string | undefined>> }[],
): DestinationIndex {
  const byServer = new Map<string, string>();
  const ambiguous = new Set<string>();
  const parts: string[] = [];
  for (const c of clusters) {
    const raw = c.annotations[API_SERVER_ANNOTATION];
    parts.push(`${c.name}=${raw ?? ''}`);
    const url = raw === undefined ? undefined : normaliseServerUrl(raw);
    if (!url) continue;
    if (byServer.has(url) && byServer.get(url) !== c.name) ambiguous.add(url);
    byServer.set(url, c.name);
  }
  for (const url of ambiguous) byServer.delete(url);
  parts.sort();
  return { byServer, byName: new Set(clusters.map((c) => c.name)), signature: parts.join('\n') };
}

/** The inventory cluster of a destination, or undefined (unmapped). A server, when given, decides (as in Argo CD). */
export function mapDestination(destination: { server?: string; name?: string }, index: DestinationIndex): string | undefined {
  if (destination.server) {
    const url = normaliseServerUrl(destination.server);
    return url === undefined ? undefined : index.byServer.get(url);
  }
  if (destination.name && index.byName.has(destination.name)) return destination.name;
  return undefined;
}
