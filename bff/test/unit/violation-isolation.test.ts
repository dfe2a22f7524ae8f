import { describe, expect, it } from 'vitest';

import { clusterIsolation, evaluateIsolation, type NamespaceInfo } from '../../src/sources/violations/isolation.ts';
import { netPolicyInfo } from '../../src/sources/violations/network-policy.ts';

const NS = { name: 'a-apps', labels: { client: 'client-a' } };

/** The brief's tenant-isolation policy, as YAML would give it. */
const brief = (namespace = 'a-apps') => ({
  metadata: { name: 'tenant-isolation', namespace },
  spec: {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      { from: [{ namespaceSelector: { matchLabels: { client: 'client-a' } } }] },
      { from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ],
    egress: [
      { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] },
      { to: [{ namespaceSelector: { matchLabels: { client: 'client-a' } } }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ],
  },
});
const np = (o: unknown) => netPolicyInfo(o as Parameters<typeof netPolicyInfo>[0])!;

describe('tenant isolation', () => {
  it('isolated: the brief policy, or something stricter', () => {
    expect(evaluateIsolation('c1', NS, [np(brief())])).toEqual({
      cluster: 'c1',
      namespace: 'a-apps',
      tenant: 'client-a',
      state: 'isolated',
      findings: [],
      policies: ['tenant-isolation'],
    });
    const stricter = {
      metadata: { name: 'deny-all', namespace: 'a-apps' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      },
    };
    expect(evaluateIsolation('c1', NS, [np(stricter)]).state).toBe('isolated');
  });

  it('missing: no policy, or none selecting all pods; policies of other namespaces do not count', () => {
    expect(evaluateIsolation('c1', NS, [np(brief('b-apps'))])).toMatchObject({
      state: 'missing',
      findings: ['no NetworkPolicy'],
      policies: [],
    });
    const some = {
      metadata: { name: 'web-only', namespace: 'a-apps' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
    };
    expect(evaluateIsolation('c1', NS, [np(some)])).toMatchObject({ state: 'missing', findings: ['no NetworkPolicy selects all pods'] });
  });

  it('wider: policies are additive, so one allow-all next to the brief policy widens it, with findings in words', () => {
    const fromAll = {
      metadata: { name: 'allow-from-all-namespaces', namespace: 'a-apps' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] },
    };
    const r = evaluateIsolation('c1', NS, [np(brief()), np(fromAll)]);
    expect(r.state).toBe('wider');
    expect(r.findings).toEqual(['ingress from any namespace on every port (allow-from-all-namespaces)']);
    expect(r.policies).toEqual(['allow-from-all-namespaces', 'tenant-isolation']);
  });

  it('wider: ports beyond the brief, egress anywhere, no default deny in one direction, selectors for some pods', () => {
    const loose = {
      metadata: { name: 'loose', namespace: 'a-apps' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } } }],
            ports: [{ port: 8080 }, { port: 'http' }, { protocol: 'TCP', port: 8000, endPort: 9000 }],
          },
          { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
        ],
        // Ignored by Kubernetes: policyTypes does not name Egress.
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      },
    };
    const podsOnly = {
      metadata: { name: 'db-egress', namespace: 'a-apps' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'TCP', port: 5432 }] }],
      },
    };
    const r = evaluateIsolation('c1', NS, [np(loose), np(podsOnly)]);
    expect(r.state).toBe('wider');
    expect(r.findings).toEqual([
      'egress is not denied by default',
      'egress to anywhere on TCP 5432 (db-egress)',
      'ingress from namespaces name=ingress-nginx on TCP http (loose)',
      'ingress from namespaces name=ingress-nginx on TCP 8000-9000 (loose)',
      'ingress from 10.0.0.0/8 on every port (loose)',
    ]);
  });

  it('judges only tenant namespaces (those with the tenant label), with a configurable label', () => {
    const namespaces: NamespaceInfo[] = [NS, { name: 'kube-system', labels: {} }, { name: 'b-apps', labels: { tenant: 'client-b' } }];
    expect(clusterIsolation('c1', namespaces, [np(brief())]).map((r) => r.namespace)).toEqual(['a-apps']);
    expect(clusterIsolation('c1', namespaces, [], 'tenant')).toMatchObject([{ namespace: 'b-apps', tenant: 'client-b', state: 'missing' }]);
  });
});
