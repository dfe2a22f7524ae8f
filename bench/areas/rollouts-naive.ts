import type { Principal, Rollout, RolloutList, RolloutSummary } from '@fleetdeck/shared';

import { rolloutDetailFor, rolloutSummaryFor, type RolloutAccessContext, type Viewer } from '../../bff/src/access/rollout-access.ts';
import { pageOf } from '../../bff/src/access/rollouts/rollout-list.ts';
import type { ImpersonatingClient } from '../../bff/src/sources/kube/impersonating-client.ts';
import { APPROVED_REASON, approvalMessage } from '../../bff/src/sources/kubefleet/rollouts/approval-message.ts';
import { runKey, type KfApproval, type KfRun, type KfScope } from '../../bff/src/sources/kubefleet/rollouts/kf-objects.ts';
import { mapRun, rollbackTarget } from '../../bff/src/sources/kubefleet/rollouts/map-run.ts';
import { readApproval, readConditions, readRun } from '../../bff/src/sources/kubefleet/rollouts/version-adapter.ts';
import type { SourceRollout } from '../../bff/src/sources/rollouts/rollout-source.ts';
import { approvalPath, runPath, type BenchRun } from './rollouts-seed.ts';

/**
 * The naive way to answer the rollouts API: no informers, read the hub on every request
 * (as the BFF's identity, paginated) and map with the same pure functions the BFF's
 * source uses (readRun, readApproval, mapRun, rollbackTarget, the per-person views). Only
 * the access context (the inventory) is built once, outside the timed part: this is the
 * cost of not caching rollouts, not of not caching clusters.
 */
const P = '/apis/placement.kubernetes-fleet.io/v1beta1';
const LABEL_RUN = 'kubernetes-fleet.io/targetupdaterun';

interface List {
  items?: unknown[];
  metadata?: { continue?: string };
}

async function listAll(client: ImpersonatingClient, path: string, limit: number, query = ''): Promise<unknown[]> {
  const out: unknown[] = [];
  let cont: string | undefined;
  do {
    const url = `${path}?limit=${limit}${query}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const res = await client.requestAsSelf<List>('GET', url);
    if (res.status !== 200) throw new Error(`naive list ${path}: ${res.status}`);
    out.push(...(res.body.items ?? []));
    cont = res.body.metadata?.continue || undefined;
  } while (cont);
  return out;
}

function mapAll(runs: KfRun[], approvals: KfApproval[], ctx: RolloutAccessContext): SourceRollout[] {
  const byRun = new Map<string, Map<string, KfApproval>>();
  for (const a of approvals) {
    if (!a.run) continue;
    const key = runKey(a.scope, a.namespace, a.run);
    const m = byRun.get(key) ?? new Map<string, KfApproval>();
    m.set(a.name, a);
    byRun.set(key, m);
  }
  return runs.map((run) => {
    const to = rollbackTarget(run, runs);
    return mapRun({
      run,
      approvals: byRun.get(runKey(run.scope, run.namespace, run.name)) ?? new Map(),
      ...(to !== undefined && { rollbackTo: to }),
      tenantForNamespace: (ns) => ctx.tenantForNamespace(ns),
    });
  });
}

/** GET /api/rollouts, naively: list runs and approval requests of both scopes, map, cut per person, page, serialise. */
export async function naiveList(client: ImpersonatingClient, viewer: Viewer, ctx: RolloutAccessContext): Promise<string> {
  const [cRuns, nRuns, cAppr, nAppr] = await Promise.all([
    listAll(client, `${P}/clusterstagedupdateruns`, 100),
    listAll(client, `${P}/stagedupdateruns`, 100),
    listAll(client, `${P}/clusterapprovalrequests`, 500),
    listAll(client, `${P}/approvalrequests`, 500),
  ]);
  const read = <T>(items: unknown[], scope: KfScope, f: (o: unknown, s: KfScope) => T | undefined): T[] =>
    items.flatMap((o) => f(o, scope) ?? []);
  const runs = [...read(cRuns, 'cluster', readRun), ...read(nRuns, 'namespaced', readRun)];
  const approvals = [...read(cAppr, 'cluster', readApproval), ...read(nAppr, 'namespaced', readApproval)];
  const rows: RolloutSummary[] = mapAll(runs, approvals, ctx).flatMap((r) => rolloutSummaryFor(viewer, r, ctx) ?? []);
  const body: RolloutList = { ...pageOf(rows, {}), errors: [] };
  return JSON.stringify(body);
}

/** One run and its approval requests, read from the hub and mapped (no roll back target: that needs every run). */
async function readOne(client: ImpersonatingClient, run: BenchRun, ctx: RolloutAccessContext): Promise<SourceRollout> {
  const scope: KfScope = run.namespace ? 'namespaced' : 'cluster';
  const res = await client.requestAsSelf('GET', runPath(run));
  if (res.status !== 200) throw new Error(`naive get ${run.name}: ${res.status}`);
  const approvalsPath = run.namespace ? `${P}/namespaces/${run.namespace}/approvalrequests` : `${P}/clusterapprovalrequests`;
  const items = await listAll(client, approvalsPath, 500, `&labelSelector=${encodeURIComponent(`${LABEL_RUN}=${run.name}`)}`);
  const approvals = new Map(items.flatMap((o) => readApproval(o, scope) ?? []).map((a) => [a.name, a]));
  const kf = readRun(res.body, scope);
  if (!kf) throw new Error(`naive get ${run.name}: unreadable`);
  return mapRun({ run: kf, approvals, tenantForNamespace: (ns) => ctx.tenantForNamespace(ns) });
}

/** GET /api/rollouts/:id, naively: the run and its approval requests from the hub, mapped, cut for the person. */
export async function naiveDetail(client: ImpersonatingClient, viewer: Viewer, ctx: RolloutAccessContext, run: BenchRun): Promise<string> {
  const r = await readOne(client, run, ctx);
  const detail: Rollout | undefined = rolloutDetailFor(viewer, r, ctx);
  if (!detail) throw new Error(`naive detail ${run.name}: not visible`);
  return JSON.stringify(detail);
}

/**
 * POST …/approve, naively: read the run and its requests to find the waiting gate, then
 * read the approval request's status and PUT it back with Approved=True, as the person.
 */
export async function naiveApprove(
  client: ImpersonatingClient,
  person: Pick<Principal, 'user' | 'groups'>,
  ctx: RolloutAccessContext,
  run: BenchRun,
  wave: string,
): Promise<void> {
  const r = await readOne(client, run, ctx);
  const gate = r.waves.find((w) => w.name === wave)?.gates.find((g) => g.kind === 'Approval' && g.state === 'Waiting');
  if (!gate?.approvalName) throw new Error(`naive approve ${run.name}/${wave}: not waiting`);
  const path = `${approvalPath(run, wave)}/status`;
  const read = await client.request<{ metadata?: { generation?: number }; status?: { conditions?: unknown[] } }>(person, 'GET', path);
  if (read.status !== 200) throw new Error(`naive approve read: ${read.status}`);
  const generation = read.body.metadata?.generation;
  const others = readConditions(read.body.status?.conditions).filter((c) => c.type !== 'Approved');
  const approved = {
    type: 'Approved',
    status: 'True',
    reason: APPROVED_REASON,
    message: approvalMessage(person.user, undefined),
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(generation !== undefined && { observedGeneration: generation }),
  };
  const put = await client.request(person, 'PUT', path, {
    body: { ...read.body, status: { ...read.body.status, conditions: [...others.map((c) => ({ message: '', ...c })), approved] } },
  });
  if (put.status !== 200) throw new Error(`naive approve write: ${put.status}`);
}
