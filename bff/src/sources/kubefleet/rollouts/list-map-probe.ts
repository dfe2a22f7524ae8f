import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { PLACEMENT_GROUP } from './version-adapter.ts';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * Whether a kind's published schema keeps `status.conditions` as a list-map keyed by
 * `type`. Only then does server-side apply merge one condition into the list; on an
 * atomic list it would replace the whole list (and wipe ApprovalAccepted).
 */
export function conditionsListMap(openapi: unknown, kind: string): boolean | undefined {
  const schemas = rec(rec(rec(openapi)?.components)?.schemas);
  if (!schemas) return undefined;
  for (const schema of Object.values(schemas)) {
    const s = rec(schema);
    const gvks = s?.['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || !gvks.some((g) => rec(g)?.kind === kind && rec(g)?.group === PLACEMENT_GROUP)) continue;
    const conditions = rec(rec(rec(rec(s?.properties)?.status)?.properties)?.conditions);
    if (!conditions) return false;
    const keys = conditions['x-kubernetes-list-map-keys'];
    return conditions['x-kubernetes-list-type'] === 'map' && Array.isArray(keys) && keys.length === 1 && keys[0] === 'type';
  }
  return undefined;
}

/**
 * Reads the group's OpenAPI v3 document per version (as the BFF: discovery is open
 * to every authenticated caller). Unreadable → false for this call (the safe write path),
 * asked again next time.
 */
export function listMapProbe(writer: ImpersonatingClient, apiVersion: () => string, logger: Logger): (kind: string) => Promise<boolean> {
  // A CRD can be upgraded under a running BFF: an answer is trusted for a few minutes.
  const known = new Map<string, { answer: boolean; at: number }>();
  return async (kind) => {
    const version = apiVersion();
    const key = `${version}/${kind}`;
    const cached = known.get(key);
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.answer;
    try {
      const res = await writer.requestAsSelf('GET', `/openapi/v3/apis/${PLACEMENT_GROUP}/${version}`);
      const answer = res.status === 200 ? conditionsListMap(res.body, kind) : undefined;
      if (answer === undefined) {
        logger.warn(
          { status: res.status, kind },
          'could not tell whether approval conditions are a list-map; updating with resourceVersion',
        );
        return false;
      }
      known.set(key, { answer, at: Date.now() });
      return answer;
    } catch (err) {
      logger.warn({ err, kind }, 'OpenAPI schema unreadable; updating approvals with resourceVersion');
      return false;
    }
  };
}
