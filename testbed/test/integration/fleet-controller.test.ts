import { describe, expect, inject, it } from 'vitest';

import { kubeClient } from '../../src/kube/from-env.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');
const PLACEMENT = '/apis/placement.kubernetes-fleet.io/v1beta1';
const RUN = 'client-a-patch-2026-11';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}
interface Approval {
  metadata: { name: string; generation: number; labels?: Record<string, string> };
  spec: { parentStageRollout: string; targetStage: string };
  status?: { conditions?: Condition[] };
}
interface Run {
  status?: {
    conditions?: Condition[];
    stagesStatus?: { stageName: string; conditions?: Condition[]; clusters?: { clusterName: string; conditions?: Condition[] }[] }[];
  };
}

const hubAsBff = () => kubeClient(env, env.hub, 'bff');
const as = (user: string, groups: string[]) => ({ 'Impersonate-User': user, 'Impersonate-Group': groups });

async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const approvalPatch = (approval: Approval, who: string) => ({
  status: {
    conditions: [
      {
        type: 'Approved',
        status: 'True',
        reason: 'ApprovedByFleetdeck',
        message: `approved by ${who}`,
        observedGeneration: approval.metadata.generation,
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  },
});

describe('fleet controller stand-in against the real hub', () => {
  it('runs the canary wave and stops at its approval gate with a ClusterApprovalRequest', async () => {
    const approval = await eventually('the after-canary approval request', async () => {
      const res = await hubAsBff().request<Approval>('GET', `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(approval.spec).toEqual({ parentStageRollout: RUN, targetStage: 'canary' });
    expect(approval.metadata.labels).toMatchObject({
      'kubernetes-fleet.io/targetupdaterun': RUN,
      'kubernetes-fleet.io/targetUpdatingStage': 'canary',
    });
    const run = await hubAsBff().expectOk<Run>('GET', `${PLACEMENT}/clusterstagedupdateruns/${RUN}`);
    const canary = run.status?.stagesStatus?.find((s) => s.stageName === 'canary');
    expect(canary?.clusters?.map((c) => c.clusterName)).toEqual(['edge-retail-001']);
    expect(run.status?.stagesStatus?.find((s) => s.stageName === 'staging')?.conditions ?? []).not.toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'True' }),
    );
  });

  it('lets kube-apiserver refuse approvals from a Viewer and from a Tenant Admin on a cluster-scoped run', async () => {
    const path = `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary/status`;
    const approval = await hubAsBff().expectOk<Approval>('GET', `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary`);
    for (const [user, group] of [
      ['client-b-viewer@demo', 'tenant-client-b-viewers'],
      ['client-a-admin@demo', 'tenant-client-a-admins'],
    ] as const) {
      const res = await hubAsBff().request('PATCH', path, {
        body: approvalPatch(approval, user),
        contentType: 'application/merge-patch+json',
        headers: as(user, [group]),
      });
      expect(res.status, user).toBe(403);
    }
  });

  it('accepts a Platform Admin approval (status patch as the person) and moves to the next wave', async () => {
    const hub = hubAsBff();
    const approval = await hub.expectOk<Approval>('GET', `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary`);
    await hub.expectOk('PATCH', `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary/status`, {
      body: approvalPatch(approval, 'platform-admin@demo'),
      contentType: 'application/merge-patch+json',
      headers: as('platform-admin@demo', ['fleet-platform-admins']),
    });
    const accepted = await eventually('ApprovalAccepted', async () => {
      const a = await hub.expectOk<Approval>('GET', `${PLACEMENT}/clusterapprovalrequests/${RUN}-after-canary`);
      return a.status?.conditions?.find((c) => c.type === 'ApprovalAccepted' && c.status === 'True');
    });
    expect(accepted).toBeDefined();
    const staging = await eventually('the staging wave to finish', async () => {
      const run = await hub.expectOk<Run>('GET', `${PLACEMENT}/clusterstagedupdateruns/${RUN}`);
      const stage = run.status?.stagesStatus?.find((s) => s.stageName === 'staging');
      return stage?.clusters?.every((c) => c.conditions?.some((k) => k.type === 'Succeeded' && k.status === 'True')) ? stage : undefined;
    });
    expect(staging.clusters?.map((c) => c.clusterName)).toEqual(['client-a-staging']);
  });
});
