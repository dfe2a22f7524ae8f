import { describe, expect, it } from 'vitest';

import { computeCoverage } from '../../src/sources/violations/coverage.ts';
import { kyvernoPolicyInfo, templateInfo } from '../../src/sources/violations/policy-objects.ts';

const byBaseline = (rows: ReturnType<typeof computeCoverage>) => Object.fromEntries(rows.map((r) => [r.baseline, r]));

describe('computeCoverage', () => {
  it('says for each baseline policy whether it is enforced, audited, not ready or missing', () => {
    const rows = computeCoverage({
      cluster: 'c1',
      constraints: [
        { kind: 'K8sPSPPrivilegedContainer', name: 'priv', action: 'deny' },
        { kind: 'K8sAllowedRepos', name: 'repos', action: 'dryrun' },
        { kind: 'K8sContainerLimits', name: 'limits', action: 'warn' },
        { kind: 'K8sPSPHostNetworkingPorts', name: 'hostnet', action: 'deny' },
        // Unknown policies count for nothing.
        { kind: 'K8sSomethingElse', name: 'pdb-ish', action: 'deny' },
      ],
      templates: [
        { kind: 'K8sPSPPrivilegedContainer', created: true },
        { kind: 'K8sPSPHostNetworkingPorts', created: false },
      ],
      kyverno: [
        { name: 'require-labels', rules: ['check-for-labels'], action: 'deny', ready: true },
        // Gatekeeper only audits limits, Kyverno enforces them: the stronger wins.
        { name: 'my-limits', rules: ['validate-resources'], action: 'deny' },
        { name: 'disallow-latest-tag', rules: [], action: 'audit', ready: false },
        // A namespaced Policy covers one namespace, not the cluster.
        { name: 'require-pdb', namespace: 'a-apps', rules: [], action: 'deny' },
      ],
    });
    expect(rows).toHaveLength(10);
    const b = byBaseline(rows);
    expect(b['deny-privileged']).toEqual({
      cluster: 'c1',
      baseline: 'deny-privileged',
      state: 'enforced',
      engine: 'gatekeeper',
      policy: 'K8sPSPPrivilegedContainer/priv',
      action: 'deny',
    });
    expect(b['allowed-registries']).toMatchObject({ state: 'audited', action: 'dryrun' });
    expect(b['require-limits']).toMatchObject({ state: 'enforced', engine: 'kyverno', policy: 'my-limits' });
    expect(b['deny-host-network']).toMatchObject({ state: 'notReady', engine: 'gatekeeper' });
    expect(b['require-labels']).toMatchObject({ state: 'enforced', engine: 'kyverno' });
    expect(b['deny-latest-tag']).toMatchObject({ state: 'notReady', engine: 'kyverno' });
    expect(b['require-pdb']).toEqual({ cluster: 'c1', baseline: 'require-pdb', state: 'missing' });
    expect(b['deny-root-user']!.state).toBe('missing');
  });

  it('reads Kyverno failure actions (spec-wide and per rule) and readiness, and template kinds', () => {
    const old = kyvernoPolicyInfo({
      metadata: { name: 'disallow-privileged-containers' },
      spec: { validationFailureAction: 'Enforce', rules: [{ name: 'privileged-containers' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(old).toEqual({ name: 'disallow-privileged-containers', rules: ['privileged-containers'], action: 'deny', ready: true });
    const perRule = kyvernoPolicyInfo({
      metadata: { name: 'p', namespace: 'n' },
      spec: {
        rules: [
          { name: 'a', validate: { failureAction: 'Audit' } },
          { name: 'b', validate: { failureAction: 'Enforce' } },
        ],
      },
      status: { ready: false },
    });
    expect(perRule).toMatchObject({ action: 'deny', namespace: 'n', ready: false });
    expect(kyvernoPolicyInfo({ metadata: { name: 'q' }, spec: { rules: [{ name: 'a' }] } })).toEqual({
      name: 'q',
      rules: ['a'],
      action: 'audit',
    });
    expect(kyvernoPolicyInfo({ metadata: {} })).toBeUndefined();
    expect(
      templateInfo({
        metadata: { name: 'k8srequiredlabels' },
        spec: { crd: { spec: { names: { kind: 'K8sRequiredLabels' } } } },
        status: { created: true },
      }),
    ).toEqual({
      kind: 'K8sRequiredLabels',
      created: true,
    });
  });
});
