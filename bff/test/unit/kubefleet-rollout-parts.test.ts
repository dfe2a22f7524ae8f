import { describe, expect, it } from 'vitest';

import { createLogger } from '../../src/lib/logger.ts';
import type { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { RolloutActionError, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import {
  approvalMessage,
  parseApprovalMessage,
  parseGoDuration,
  APPROVED_REASON,
  REASON_PATTERN,
} from '../../src/sources/kubefleet/rollouts/approval-message.ts';
import { approveWave } from '../../src/sources/kubefleet/rollouts/approve.ts';
import { singleApproval } from '../helpers/approval-decision.ts';
import { refusal } from '../../src/sources/rollouts/rollout-writes.ts';
import { conditionsListMap } from '../../src/sources/kubefleet/rollouts/list-map-probe.ts';
import { rollbackTarget } from '../../src/sources/kubefleet/rollouts/map-run.ts';
import type { KfRun } from '../../src/sources/kubefleet/rollouts/kf-objects.ts';
import { chooseApiVersion, readRunState } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';

describe('Go durations of waitTime', () => {
  const cases: [string | undefined, number | undefined][] = [
    ['1h', 3600],
    ['30m', 1800],
    ['90s', 90],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['500ms', 0.5],
    ['2m30s', 150],
    ['0s', 0],
    ['', undefined],
    [undefined, undefined],
    ['1d', undefined],
    ['forever', undefined],
    ['-1h', undefined],
    ['1h 30m', undefined],
  ];
  it.each(cases)('%s → %s seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });
});

describe('the approval message Fleetdeck writes and reads back', () => {
  it('round-trips the person and the comment, colons included', () => {
    const m = approvalMessage('ada@example.com', '  ok: canary is green ');
    expect(m).toBe('Approved by ada@example.com via Fleetdeck: ok: canary is green');
    expect(parseApprovalMessage(APPROVED_REASON, m)).toEqual({ approvedBy: 'ada@example.com', comment: 'ok: canary is green' });
    expect(parseApprovalMessage(APPROVED_REASON, approvalMessage('bob', undefined))).toEqual({ approvedBy: 'bob' });
    expect(parseApprovalMessage(APPROVED_REASON, approvalMessage('bob', '   '))).toEqual({ approvedBy: 'bob' });
  });
  it('is capped at 1024 characters', () => {
    expect(approvalMessage('ada', 'x'.repeat(5000))).toHaveLength(1024);
  });
  it('reads nothing from conditions someone else wrote', () => {
    expect(parseApprovalMessage('Approved', 'Approved by eve via Fleetdeck')).toBeUndefined();
    expect(parseApprovalMessage(APPROVED_REASON, 'lgtm')).toBeUndefined();
    expect(parseApprovalMessage(APPROVED_REASON, undefined)).toBeUndefined();
  });
  it('uses a reason the CRD pattern accepts', () => {
    expect(REASON_PATTERN.test(APPROVED_REASON)).toBe(true);
    expect(REASON_PATTERN.test('approved-by')).toBe(false);
  });
});

describe('the API version and the run state field', () => {
  it('prefers v1 when served, else v1beta1', () => {
    expect(chooseApiVersion({ versions: [{ version: 'v1beta1' }, { version: 'v1' }] })).toBe('v1');
    expect(chooseApiVersion({ versions: [{ version: 'v1beta1' }] })).toBe('v1beta1');
    expect(chooseApiVersion({})).toBe('v1beta1');
    expect(chooseApiVersion('nonsense')).toBe('v1beta1');
  });
  const states: [Record<string, unknown> | undefined, string][] = [
    [{ state: 'Run' }, 'Run'],
    [{ state: 'Stop' }, 'Stop'],
    [{ state: 'Initialize' }, 'Initialize'],
    [{}, 'Initialize'],
    [undefined, 'Initialize'],
    [{ suspend: true }, 'Stop'],
    [{ suspend: false }, 'Run'],
    [{ state: 'Abort' }, 'Unknown'],
  ];
  it.each(states)('spec %j → %s', (spec, state) => {
    expect(readRunState(spec)).toBe(state);
  });
});

describe('is status.conditions a list-map keyed by type', () => {
  const doc = (conditions: Record<string, unknown> | undefined) => ({
    components: {
      schemas: {
        'io.kubernetes-fleet.placement.v1beta1.ClusterApprovalRequest': {
          'x-kubernetes-group-version-kind': [
            { group: 'placement.kubernetes-fleet.io', version: 'v1beta1', kind: 'ClusterApprovalRequest' },
          ],
          properties: { status: { properties: conditions ? { conditions } : {} } },
        },
      },
    },
  });
  it('answers from the kind schema', () => {
    expect(
      conditionsListMap(
        doc({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
        'ClusterApprovalRequest',
      ),
    ).toBe(true);
    expect(conditionsListMap(doc({ type: 'array' }), 'ClusterApprovalRequest')).toBe(false);
    expect(conditionsListMap(doc({ type: 'array', 'x-kubernetes-list-type': 'atomic' }), 'ClusterApprovalRequest')).toBe(false);
    expect(conditionsListMap(doc(undefined), 'ClusterApprovalRequest')).toBe(false);
    expect(conditionsListMap(doc({ 'x-kubernetes-list-type': 'map' }), 'ApprovalRequest')).toBeUndefined();
    expect(conditionsListMap({}, 'ClusterApprovalRequest')).toBeUndefined();
  });
});

describe('the roll back target', () => {
  const run = (name: string, created: number, index: string, ok: boolean | undefined, extra: Partial<KfRun> = {}): KfRun => ({
    scope: 'cluster',
    apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
    kind: 'ClusterStagedUpdateRun',
    name,
    createdAt: new Date(Date.UTC(2026, 0, created)).toISOString(),
    placementName: 'app',
    state: 'Run',
    resourceSnapshotIndexUsed: index,
    strategyStages: [],
    stages: [],
    conditions: ok === undefined ? [] : [{ type: 'Succeeded', status: ok ? 'True' : 'False' }],
    ...extra,
  });
  it('is the newest earlier succeeded run of the same placement and scope with another snapshot', () => {
    const me = run('r5', 10, '5', undefined);
    const runs = [
      run('r2', 2, '2', true),
      run('r3', 3, '3', true),
      run('r4', 4, '4', false),
      run('r5b', 5, '5', true),
      run('other', 6, '9', true, { placementName: 'other' }),
      run('ns', 7, '8', true, { scope: 'namespaced', namespace: 'fleet-client-a' }),
      run('later', 11, '7', true),
      me,
    ];
    expect(rollbackTarget(me, runs)).toBe('3');
    expect(rollbackTarget(run('first', 1, '1', undefined), runs)).toBeUndefined();
  });
});

describe('refusals of the API server as the routes answer them', () => {
  it('keeps 403/404/409/422 and turns anything else into a short 502', () => {
    const forbidden = refusal(
      { status: 403, body: { kind: 'Status', message: 'approvalrequests.placement.kubernetes-fleet.io "x" is forbidden' } },
      'approving wave canary',
    );
    expect(forbidden).toMatchObject({
      status: 403,
      message: 'Kubernetes refused approving wave canary: approvalrequests.placement.kubernetes-fleet.io "x" is forbidden',
    });
    expect(refusal({ status: 404, body: {} }, 'x').status).toBe(404);
    expect(refusal({ status: 409, body: {} }, 'x').status).toBe(409);
    expect(refusal({ status: 422, body: {} }, 'x').status).toBe(422);
    const broken = refusal({ status: 500, body: { message: 'etcd at 10.0.0.3:2379 timed out' } }, 'x');
    expect(broken).toMatchObject({ status: 502, message: 'Kubernetes answered 500 to x' });
  });
});

describe('approving a wave that is not at a gate', () => {
  const noCalls = {
    request: () => Promise.reject(new Error('no call expected')),
  } as unknown as ImpersonatingClient;
  const deps = {
    writer: noCalls,
    apiVersion: () => 'v1beta1',
    now: () => new Date(),
    logger: createLogger('silent'),
    conditionsAreListMap: () => Promise.resolve(true),
  };
  const rollout = {
    id: 'kubefleet~~r1',
    name: 'r1',
    source: 'kubefleet',
    waves: [
      { name: 'canary', gates: [{ kind: 'Approval', position: 'after', state: 'NotStarted', approvalName: 'r1-after-canary' }] },
      { name: 'staging', gates: [{ kind: 'TimedWait', position: 'after', state: 'Waiting' }] },
    ],
  } as unknown as SourceRollout;
  const ctx = { principal: { user: 'ada', groups: [] }, requestId: 'r' };
  it.each(['canary', 'staging'])('%s → 409 without calling the hub', async (wave) => {
    const err = await approveWave(deps, ctx, rollout, wave, singleApproval()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutActionError);
    expect(err).toMatchObject({ status: 409, message: `wave ${wave} is not waiting for an approval` });
  });
  it('an unknown wave → 404', async () => {
    await expect(approveWave(deps, ctx, rollout, 'prod', singleApproval())).rejects.toMatchObject({ status: 404 });
  });
});
