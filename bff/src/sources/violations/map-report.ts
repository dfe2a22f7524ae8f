import { ViolationSeverity, type Violation, type ViolationResource } from '@fleetdeck/shared';

import type { NamespaceResultCounts } from './violation-source.ts';
import { isRecord, list, num, str, type RawReport } from './raw-objects.ts';
import { violationId } from './violation-id.ts';

export interface MappedReport {
  /** `action` is `unknown` here: the store fills it from the policy's failure action when it knows the policy. */
  violations: Violation[];
  /** Namespaced reports only (a ClusterPolicyReport's results belong to no namespace). */
  counts?: NamespaceResultCounts;
  dropped: string[];
}

const FAILING = new Set(['fail', 'warn', 'error']);
const KNOWN = new Set(['pass', 'fail', 'warn', 'error', 'skip']);
const COUNT_KEYS = ['pass', 'warn', 'fail', 'error', 'skip'] as const;

function resourceOf(v: unknown): ViolationResource | undefined {
  if (!isRecord(v)) return undefined;
  const kind = str(v.kind);
  const name = str(v.name);
  if (!kind || !name) return undefined;
  const apiVersion = str(v.apiVersion);
  const namespace = str(v.namespace);
  return { ...(apiVersion && { apiVersion }), kind, ...(namespace && { namespace }), name };
}

/**
 * A Kyverno PolicyReport / ClusterPolicyReport (wgpolicyk8s.io/v1alpha2) or an OpenReports
 * Report / ClusterReport (openreports.io/v1alpha1, same result shape) as violations: one
 * per resource of each fail/warn/error result. A result naming no resource falls back to
 * the report's `scope`, else it is dropped; unknown result values are dropped, with the
 * reason. In a namespaced report every resource belongs to the report's namespace (a
 * resource claiming another namespace is dropped: scope filtering reads that field).
 */
export function mapReport(report: RawReport, cluster: string): MappedReport {
  const reportName = str(report.metadata?.name) ?? '?';
  const reportNs = str(report.metadata?.namespace);
  const where = reportNs ? `${reportNs}/${reportName}` : reportName;
  const dropped: string[] = [];
  const violations: Violation[] = [];
  const counted = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  const scope = resourceOf(report.scope);
  if (report.results !== undefined && !Array.isArray(report.results)) dropped.push(`${where}: results is not a list`);
  for (const [i, r] of list(report.results).entries()) {
    if (!isRecord(r)) {
      dropped.push(`${where}: result #${i} is not an object`);
      continue;
    }
    const result = str(r.result);
    if (!result || !KNOWN.has(result)) {
      dropped.push(`${where}: result #${i} has unknown result ${JSON.stringify(r.result ?? null)}`);
      continue;
    }
    // Reports also carry other tools' results (Trivy, kube-bench): neither violations nor Kyverno's counts.
    const source = str(r.source);
    if (source && source.toLowerCase() !== 'kyverno') {
      dropped.push(`${where}: result #${i} comes from ${source}, not an engine Fleetdeck maps`);
      continue;
    }
    counted[result as keyof typeof counted]++;
    if (!FAILING.has(result)) continue;
    const policy = str(r.policy);
    if (!policy) {
      dropped.push(`${where}: result #${i} names no policy`);
      continue;
    }
    const rule = str(r.rule);
    const sev = ViolationSeverity.safeParse(typeof r.severity === 'string' ? r.severity.toLowerCase() : undefined);
    const seconds = isRecord(r.timestamp) ? num(r.timestamp.seconds) : undefined;
    const lastSeenAt = seconds !== undefined && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
    const category = str(r.category);
    const declared = list(r.resources);
    const resources = declared.map(resourceOf);
    if (declared.length === 0 && !scope) {
      dropped.push(`${where}: result #${i} (${policy}) names no resource and the report has no scope`);
      continue;
    }
    for (const [j, res] of (declared.length ? resources : [scope]).entries()) {
      if (!res) {
        dropped.push(`${where}: result #${i} resource #${j} has no kind or name`);
        continue;
      }
      let resource = res;
      if (reportNs) {
        if (res.namespace && res.namespace !== reportNs) {
          dropped.push(`${where}: result #${i} names a resource in another namespace (${res.namespace})`);
          continue;
        }
        resource = { ...res, namespace: reportNs };
      }
      violations.push({
        id: violationId('kyverno', cluster, policy, rule, resource),
        engine: 'kyverno',
        cluster,
        policy,
        ...(rule && { rule }),
        severity: sev.success ? sev.data : 'unknown',
        action: 'unknown',
        result: result as Violation['result'],
        ...(category && { category }),
        resource,
        message: typeof r.message === 'string' ? r.message : '',
        ...(lastSeenAt && { lastSeenAt }),
      });
    }
  }
  if (!reportNs) return { violations, dropped };
  // The report's own summary is authoritative (results may be trimmed); count them when it is absent or broken.
  const summary = isRecord(report.summary) ? report.summary : undefined;
  const fromSummary = summary && COUNT_KEYS.every((k) => summary[k] === undefined || (num(summary[k]) ?? -1) >= 0);
  const pick = (k: (typeof COUNT_KEYS)[number]) => (fromSummary ? (num(summary[k]) ?? 0) : counted[k]);
  if (summary && !fromSummary) dropped.push(`${where}: summary is malformed; counted the results instead`);
  return {
    violations,
    counts: {
      cluster,
      namespace: reportNs,
      pass: pick('pass'),
      warn: pick('warn'),
      fail: pick('fail'),
      error: pick('error'),
      skip: pick('skip'),
    },
    dropped,
  };
}
