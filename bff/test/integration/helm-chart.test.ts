import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { AccessPolicy, DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { Config } from '../../src/config/schema.ts';
import { hubReadRules, hubWatchesFile } from '../../src/sources/hub-watches.ts';
import {
  HUB_CHART,
  MEMBER_CHART,
  canI,
  helm,
  mixValues,
  ofKind,
  one,
  render,
  renderError,
  serverSideApply,
  serviceAccountSubject,
  type KubeObject,
} from '../helpers/helm.ts';

const env = inject('testbed');
const hubAdmin = kubeClient(env, env.hub, 'admin');
const MIXES = ['kubefleet', 'rancher-fleet', 'both'] as const;
// One run's objects never meet another's: cluster-scoped names carry the release name.
const RUN = `h${Date.now().toString(36)}`;
const NAMESPACE = `fleetdeck-${RUN}`;
const TENANTS = ['client-a', 'client-b', 'client-c'];
const cleanups: (() => Promise<unknown>)[] = [];

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] };
type Container = {
  image: string;
  securityContext: Record<string, unknown>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
};
type PodSpec = {
  securityContext: Record<string, unknown>;
  containers: Container[];
  topologySpreadConstraints?: { labelSelector: { matchLabels: Record<string, string> } }[];
  serviceAccountName: string;
};

const rulesOf = (objects: KubeObject[]) => one(objects, 'ClusterRole').rules as Rule[];
const readRules = (objects: KubeObject[]) => rulesOf(objects).filter((r) => r.verbs.join() === 'list,watch');
const impersonation = (objects: KubeObject[], resource: string) =>
  rulesOf(objects).filter((r) => r.verbs.includes('impersonate') && r.resources?.includes(resource));
const configFile = (objects: KubeObject[]) => (one(objects, 'ConfigMap').data as Record<string, string>)['config.yaml']!;
const podSpec = (objects: KubeObject[]) => (one(objects, 'Deployment').spec as { template: { spec: PodSpec } }).template.spec;

/** The groups the access policy names, expanded over the tenants: computed here, independently of the template. */
function policyGroups(policy: AccessPolicy, tenants: string[]): string[] {
  const groups = policy.bindings.flatMap((b) =>
    b.group ? [b.group] : b.groupPattern ? tenants.map((t) => b.groupPattern!.replace('{tenant}', t)) : [],
  );
  return [...new Set(groups)].sort();
}

/** The BFF's own validation of a rendered config file (env as the Deployment sets it). */
function loadRendered(objects: KubeObject[]): Config {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-helm-config-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, configFile(objects));
  return loadConfig({ FLEETDECK_CONFIG: path, SESSION_SECRET: 'x'.repeat(48) });
}

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('the fleetdeck chart, rendered', () => {
  beforeAll(() => {
    // Normally built by the testbed's start already; a cold build takes minutes.
    expect(helm(['version', '--short']).stdout).toMatch(/^v4\.3\.1/);
  }, 900_000);

  it('lints clean (strict) with the default values and each source mix; so does the member chart', () => {
    for (const args of [[], ...MIXES.map((m) => ['-f', mixValues(m)])]) {
      const r = helm(['lint', '--strict', HUB_CHART, ...args]);
      expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
    const member = helm(['lint', '--strict', MEMBER_CHART, '-f', `${MEMBER_CHART}/ci/tenants-values.yaml`]);
    expect(member.status, member.stdout + member.stderr).toBe(0);
    expect(member.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('installs two hardened replicas with probes, limits, a PDB and topology spread (default values)', () => {
    const objects = render(HUB_CHART);
    const kinds = objects.map((o) => o.kind).sort();
    expect(kinds).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Service',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const deployment = one(objects, 'Deployment');
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    const pod = podSpec(objects);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.serviceAccountName).toBe(one(objects, 'ServiceAccount').metadata.name);
    const [bff] = pod.containers;
    expect(bff!.image).toBe('ghcr.io/fleetdeck/fleetdeck:0.1.0');
    expect(bff!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect([bff!.resources.requests?.cpu, bff!.resources.requests?.memory, bff!.resources.limits?.memory]).toEqual([
      '100m',
      '256Mi',
      '1Gi',
    ]);
    expect(bff!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(bff!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(pod.topologySpreadConstraints?.[0]?.labelSelector.matchLabels).toEqual(
      (deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
    );
    expect((one(objects, 'PodDisruptionBudget').spec as { maxUnavailable: number }).maxUnavailable).toBe(1);
    // The UI's Service never exposes /metrics; the metrics Service exposes only it.
    const [ui, metrics] = ofKind(objects, 'Service').map((s) =>
      (s.spec as { ports: { targetPort: string }[] }).ports.map((p) => p.targetPort),
    );
    expect(ui).toEqual(['http']);
    expect(metrics).toEqual(['metrics']);
  });

  it('references the secrets (never renders them) unless asked, and refuses them in the config', () => {
    for (const objects of [render(HUB_CHART), ...MIXES.map((m) => render(HUB_CHART, { values: [mixValues(m)] }))]) {
      expect(ofKind(objects, 'Secret')).toEqual([]);
      const env = podSpec(objects).containers[0]!.env;
      expect(env.find((e) => e.name === 'SESSION_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'fleetdeck', key: 'session-secret' });
      expect(env.find((e) => e.name === 'OIDC_CLIENT_SECRET')?.valueFrom?.secretKeyRef).toMatchObject({ name: 'fleetdeck' });
      expect(configFile(objects)).not.toMatch(/secret:|clientSecret/i);
    }
    const asked = render(HUB_CHART, { set: [`secrets.create=true`, `secrets.sessionSecret=${'s'.repeat(40)}`] });
    const secret = one(asked, 'Secret');
    expect(Buffer.from((secret.data as Record<string, string>)['session-secret']!, 'base64').toString()).toBe('s'.repeat(40));
    expect(renderError(HUB_CHART, { set: ['config.session.secret=in-plain-text-in-a-configmap-is-wrong'] })).toMatch(/schema/i);
    expect(renderError(HUB_CHART, { set: ['config.auth.oidc.clientSecret=nope'] })).toMatch(/schema/i);
    expect(renderError(HUB_CHART, { set: ['secrets.existingSecret='] })).toMatch(/session secret/);
  });

  it('writes a config file the BFF accepts, with the access policy, for each source mix', () => {
    for (const mix of MIXES) {
      const config = loadRendered(render(HUB_CHART, { values: [mixValues(mix)] }));
      expect(config.mode).toBe('real');
      expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8080, metricsPort: 9090 });
      expect(config.accessPolicy).toEqual(DEFAULT_ACCESS_POLICY);
      expect(config.session.secret, 'from the environment, not the file').toBe('x'.repeat(48));
    }
    // The chart's default policy is the BFF's default policy, written out for the RBAC template to read.
    const values = parse(readFileSync(`${HUB_CHART}/values.yaml`, 'utf8')) as { accessPolicy: unknown };
    expect(AccessPolicy.parse(values.accessPolicy)).toEqual(DEFAULT_ACCESS_POLICY);
  });

  it('grants hub reads of exactly the kinds the configured sources watch (the list the sources export)', () => {
    expect(parse(readFileSync(`${HUB_CHART}/files/hub-watches.yaml`, 'utf8'))).toEqual(hubWatchesFile());
    const cases: [string, KubeObject[]][] = [
      ['default', render(HUB_CHART)],
      ...MIXES.map((m): [string, KubeObject[]] => [m, render(HUB_CHART, { values: [mixValues(m)] })]),
      ['static only', render(HUB_CHART, { set: ['config.inventory.sources={static}', 'config.inventory.staticFile=/etc/fleet.yaml'] })],
    ];
    for (const [name, objects] of cases) {
      const config = Config.parse(parse(configFile(objects)));
      expect(readRules(objects), name).toEqual(hubReadRules(config));
    }
    // The mixes differ where they should: Rancher's kinds only where Rancher Fleet is a source.
    const kubefleetOnly = readRules(render(HUB_CHART, { values: [mixValues('kubefleet')] }));
    expect(kubefleetOnly.flatMap((r) => r.apiGroups)).toEqual(['cluster.kubernetes-fleet.io', 'placement.kubernetes-fleet.io']);
    const both = readRules(render(HUB_CHART, { values: [mixValues('both')] }));
    expect(
      both.find((r) => r.apiGroups?.[0] === 'fleet.cattle.io')?.resources,
      'rollouts from KubeFleet, deliveries from Argo CD: no bundles, no GitRepos',
    ).toEqual(['clustergroups', 'clusters']);
    expect(both.find((r) => r.apiGroups?.[0] === 'argoproj.io')?.resources).toEqual(['applications', 'applicationsets']);
    const fleetOnly = readRules(render(HUB_CHART, { values: [mixValues('rancher-fleet')] }));
    expect(fleetOnly.find((r) => r.apiGroups?.[0] === 'fleet.cattle.io')?.resources, 'deliveries follow a Fleet inventory').toContain(
      'gitrepos',
    );
    expect(fleetOnly.some((r) => r.apiGroups?.[0] === 'argoproj.io')).toBe(false);
  });

  it('lets the BFF impersonate exactly the groups the access policy names, expanded over the tenants', () => {
    const objects = render(HUB_CHART);
    const [groups] = impersonation(objects, 'groups');
    expect(groups?.resourceNames).toEqual(policyGroups(DEFAULT_ACCESS_POLICY, TENANTS));
    expect(groups?.resourceNames).toContain('tenant-client-a-admins');
    // Nothing but groups and users: no ServiceAccounts, uids or extras.
    const impersonated = rulesOf(objects)
      .filter((r) => r.verbs.includes('impersonate'))
      .flatMap((r) => r.resources);
    expect(impersonated.sort()).toEqual(['groups', 'users']);
    const two = render(HUB_CHART, { values: [mixValues('rancher-fleet')] });
    expect(impersonation(two, 'groups')[0]?.resourceNames).toEqual(policyGroups(DEFAULT_ACCESS_POLICY, ['client-a', 'client-b']));
    const custom = render(HUB_CHART, {
      set: [
        'accessPolicy.bindings[0].group=ops',
        'accessPolicy.bindings[0].role=platform-admin',
        'accessPolicy.bindings[0].tenants=*',
        'accessPolicy.bindings[1].groupPattern=team-{tenant}',
        'accessPolicy.bindings[1].role=viewer',
        'tenants={blue,green}',
      ],
    });
    expect(impersonation(custom, 'groups')[0]?.resourceNames).toEqual(['ops', 'team-blue', 'team-green']);
    expect(renderError(HUB_CHART, { set: ['tenants=null'] })).toMatch(/groupPattern "tenant-\{tenant\}-admins" needs the tenants/);
    const narrowed = render(HUB_CHART, { set: ['rbac.impersonateUsers={alice@example.com}'] });
    expect(impersonation(narrowed, 'users')[0]?.resourceNames).toEqual(['alice@example.com']);
  });
});

describe('the charts against the testbed hub’s real API server', () => {
  beforeAll(async () => {
    await hubAdmin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } });
    cleanups.push(() => hubAdmin.request('DELETE', `/api/v1/namespaces/${NAMESPACE}`));
  });

  it('accepts every rendered manifest in a server-side dry run (default values and every source mix)', async () => {
    await installServiceMonitorCrd();
    const renders: [string, KubeObject[]][] = [
      ['default', render(HUB_CHART, { release: RUN, namespace: NAMESPACE })],
      ...MIXES.map((m): [string, KubeObject[]] => [m, render(HUB_CHART, { release: RUN, namespace: NAMESPACE, values: [mixValues(m)] })]),
    ];
    const kinds = new Set<string>();
    for (const [name, objects] of renders) {
      for (const obj of objects) {
        const res = await serverSideApply(hubAdmin, obj, { namespace: NAMESPACE, dryRun: true });
        expect(res.status, `${name}: ${obj.kind}/${obj.metadata.name}: ${res.text}`).toBeLessThan(300);
        kinds.add(obj.kind);
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Ingress',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ].sort(),
    );
    // A dry run really validates: a Deployment the API server rejects is rejected here.
    const broken = render(HUB_CHART, {
      release: RUN,
      namespace: NAMESPACE,
      set: ['topologySpreadConstraints.whenUnsatisfiable=ScheduleAnyway'],
    });
    const deployment = structuredClone(one(broken, 'Deployment'));
    (deployment.spec as { replicas: unknown }).replicas = -1;
    expect((await serverSideApply(hubAdmin, deployment, { namespace: NAMESPACE, dryRun: true })).status).toBe(422);
    // And nothing was stored.
    expect((await hubAdmin.request('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${RUN}-fleetdeck`)).status).toBe(404);
  });

  it('grants the BFF’s ServiceAccount what it needs on the hub and nothing more (RBAC applied, SubjectAccessReviews)', async () => {
    const objects = render(HUB_CHART, { release: RUN, namespace: NAMESPACE, values: [mixValues('kubefleet')] });
    for (const obj of objects.filter((o) =>
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind),
    )) {
      const res = await serverSideApply(hubAdmin, obj, { namespace: NAMESPACE, dryRun: false });
      expect(res.status, res.text).toBeLessThan(300);
      // The Role and RoleBinding go with the namespace.
      if (obj.kind.startsWith('Cluster'))
        cleanups.push(() =>
          hubAdmin.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/${obj.kind.toLowerCase()}s/${obj.metadata.name}`),
        );
    }
    const bff = serviceAccountSubject(NAMESPACE, one(objects, 'ServiceAccount').metadata.name);
    const can = (access: Parameters<typeof canI>[2]) => canI(hubAdmin, bff, access);
    const MEMBER_CLUSTERS = { group: 'cluster.kubernetes-fleet.io', resource: 'memberclusters' };
    const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };
    const SECRETS = { resource: 'secrets' };
    const expectations: [string, Parameters<typeof canI>[2], boolean][] = [
      ['list MemberClusters', { verb: 'list', ...MEMBER_CLUSTERS }, true],
      ['watch MemberClusters', { verb: 'watch', ...MEMBER_CLUSTERS }, true],
      ['watch staged update runs', { verb: 'watch', group: 'placement.kubernetes-fleet.io', resource: 'stagedupdateruns' }, true],
      ['impersonate tenant-client-a-admins', { verb: 'impersonate', resource: 'groups', name: 'tenant-client-a-admins' }, true],
      ['impersonate a person by name', { verb: 'impersonate', resource: 'users', name: 'alice@example.com' }, true],
      ['create Events', { verb: 'create', group: 'events.k8s.io', resource: 'events', namespace: 'fleet-client-a' }, true],
      ['get Secrets (cluster-wide)', { verb: 'get', resource: 'secrets' }, false],
      ['list Secrets in its own namespace', { verb: 'list', resource: 'secrets', namespace: NAMESPACE }, false],
      ['impersonate system:masters', { verb: 'impersonate', resource: 'groups', name: 'system:masters' }, false],
      ['impersonate a group the policy does not name', { verb: 'impersonate', resource: 'groups', name: 'tenant-client-z-admins' }, false],
      [
        'impersonate a ServiceAccount',
        { verb: 'impersonate', resource: 'serviceaccounts', namespace: 'kube-system', name: 'default' },
        false,
      ],
      ['impersonate a uid', { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: 'x' }, false],
      [
        'impersonate an extra',
        { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes' },
        false,
      ],
      ['write MemberClusters', { verb: 'patch', ...MEMBER_CLUSTERS }, false],
      [
        'approve as itself',
        { verb: 'patch', group: 'placement.kubernetes-fleet.io', resource: 'approvalrequests', subresource: 'status' },
        false,
      ],
      ['list Rancher Fleet clusters (not a configured source)', { verb: 'list', group: 'fleet.cattle.io', resource: 'clusters' }, false],
      ['list pods', { verb: 'list', resource: 'pods' }, false],
      // The failure threshold rule, as the BFF itself: stop and claim a run, create its roll back run; never delete one.
      ['stop a run as itself', { verb: 'patch', group: 'placement.kubernetes-fleet.io', resource: 'clusterstagedupdateruns' }, true],
      [
        'create a roll back run',
        { verb: 'create', group: 'placement.kubernetes-fleet.io', resource: 'stagedupdateruns', namespace: 'fleet-client-a' },
        true,
      ],
      ['delete a run as itself', { verb: 'delete', group: 'placement.kubernetes-fleet.io', resource: 'clusterstagedupdateruns' }, false],
      [
        'pause a bundle (not a configured source)',
        { verb: 'patch', group: 'fleet.cattle.io', resource: 'bundles', namespace: 'fleet-default' },
        false,
      ],
      // The leader Lease: in the release namespace, that one by name.
      ['create the leader Lease', { verb: 'create', ...LEASES, namespace: NAMESPACE }, true],
      ['renew the leader Lease', { verb: 'update', ...LEASES, namespace: NAMESPACE, name: 'fleetdeck-promotion' }, true],
      ['update another Lease there', { verb: 'update', ...LEASES, namespace: NAMESPACE, name: 'kube-controller-manager' }, false],
      ['create a Lease elsewhere', { verb: 'create', ...LEASES, namespace: 'kube-system' }, false],
      // The shared logout revocation list: that one Secret in the Lease namespace, and no other Secret readable.
      ['create the revocation list', { verb: 'create', ...SECRETS, namespace: NAMESPACE }, true],
      ['read the revocation list', { verb: 'get', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-revocations' }, true],
      ['watch the revocation list', { verb: 'watch', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-revocations' }, true],
      ['update the revocation list', { verb: 'update', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-revocations' }, true],
      ['read another Secret there', { verb: 'get', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-session' }, false],
      ['update another Secret there', { verb: 'update', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-session' }, false],
      ['watch every Secret there', { verb: 'watch', ...SECRETS, namespace: NAMESPACE }, false],
      ['delete the revocation list', { verb: 'delete', ...SECRETS, namespace: NAMESPACE, name: 'fleetdeck-revocations' }, false],
      ['create a Secret elsewhere', { verb: 'create', ...SECRETS, namespace: 'kube-system' }, false],
    ];
    const answers = await Promise.all(expectations.map(async ([what, access]) => [what, await can(access)] as const));
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(expectations.map(([what, , allowed]) => [what, allowed])));

    // Narrowed to named people, any other user name is refused.
    const narrowed = render(HUB_CHART, {
      release: RUN,
      namespace: NAMESPACE,
      values: [mixValues('kubefleet')],
      set: ['rbac.impersonateUsers={alice@example.com}'],
    });
    expect((await serverSideApply(hubAdmin, one(narrowed, 'ClusterRole'), { namespace: NAMESPACE, dryRun: false })).status).toBeLessThan(
      300,
    );
    await eventuallyTrue(async () => !(await can({ verb: 'impersonate', resource: 'users', name: 'mallory@example.com' })));
    expect(await can({ verb: 'impersonate', resource: 'users', name: 'alice@example.com' })).toBe(true);
    expect(await can({ verb: 'impersonate', resource: 'users', name: 'system:kube-controller-manager' })).toBe(false);
  });
});

describe('the member-cluster chart on a testbed spoke', () => {
  const spoke = env.spokes[0]!;
  const spokeAdmin = kubeClient(env, spoke, 'admin');
  // Unique names, so the testbed's own roles and bindings (same group names) do not answer for ours.
  const prefix = `${RUN}:`;
  const group = (tenant: string, role: string) => `${RUN}-${tenant}-${role}`;
  const tenantValues = (environment: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-member-'));
    const file = join(dir, 'values.yaml');
    const tenant = (name: string, namespaces: string[]) => ({
      name,
      namespaces,
      adminGroups: [group(name, 'admins')],
      developerGroups: [group(name, 'developers')],
      viewerGroups: [group(name, 'viewers')],
    });
    writeFileSync(
      file,
      JSON.stringify({
        rolePrefix: prefix,
        environment,
        bff: { serviceAccount: { create: true, name: `${RUN}-bff` } },
        platformAdminGroups: [`${RUN}-platform`],
        viewerGroups: [`${RUN}-fleet-viewers`],
        tenants: [tenant('client-a', [`${RUN}-a-web`]), tenant('client-b', [`${RUN}-b-shop`])],
      }),
    );
    return file;
  };

  beforeAll(async () => {
    for (const ns of [NAMESPACE, `${RUN}-a-web`, `${RUN}-b-shop`]) {
      await spokeAdmin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      cleanups.push(() => spokeAdmin.request('DELETE', `/api/v1/namespaces/${ns}`));
    }
  });

  it('applies (dry run, then for real) and its four roles mean what the brief means (SubjectAccessReviews)', async () => {
    const objects = render(MEMBER_CHART, { release: RUN, namespace: NAMESPACE, values: [tenantValues('staging')] });
    for (const obj of objects) {
      const dry = await serverSideApply(spokeAdmin, obj, { namespace: NAMESPACE, dryRun: true });
      expect(dry.status, `${obj.kind}/${obj.metadata.name}: ${dry.text}`).toBeLessThan(300);
    }
    for (const obj of objects) {
      const res = await serverSideApply(spokeAdmin, obj, { namespace: NAMESPACE, dryRun: false });
      expect(res.status, res.text).toBeLessThan(300);
      if (obj.kind.startsWith('Cluster'))
        cleanups.push(() =>
          spokeAdmin.request(
            'DELETE',
            `/apis/rbac.authorization.k8s.io/v1/${obj.kind.toLowerCase()}s/${encodeURIComponent(obj.metadata.name)}`,
          ),
        );
    }
    const as = (g: string) => ({ user: `someone-in-${g}`, groups: [g, 'system:authenticated'] });
    const aWeb = `${RUN}-a-web`;
    const bShop = `${RUN}-b-shop`;
    const checks: [string, { user: string; groups: string[] }, Parameters<typeof canI>[2], boolean][] = [
      // Viewer: read-only, never Secrets.
      ['viewer lists pods', as(group('client-a', 'viewers')), { verb: 'list', resource: 'pods', namespace: aWeb }, true],
      ['viewer reads logs', as(group('client-a', 'viewers')), { verb: 'get', resource: 'pods', subresource: 'log', namespace: aWeb }, true],
      [
        'viewer gets deployments',
        as(group('client-a', 'viewers')),
        { verb: 'get', group: 'apps', resource: 'deployments', namespace: aWeb },
        true,
      ],
      ['viewer gets secrets', as(group('client-a', 'viewers')), { verb: 'get', resource: 'secrets', namespace: aWeb }, false],
      ['viewer lists secrets', as(group('client-a', 'viewers')), { verb: 'list', resource: 'secrets', namespace: aWeb }, false],
      ['viewer deletes a pod', as(group('client-a', 'viewers')), { verb: 'delete', resource: 'pods', namespace: aWeb }, false],
      ['viewer execs', as(group('client-a', 'viewers')), { verb: 'create', resource: 'pods', subresource: 'exec', namespace: aWeb }, false],
      ['viewer reads another tenant', as(group('client-a', 'viewers')), { verb: 'list', resource: 'pods', namespace: bShop }, false],
      ['fleet viewer lists pods anywhere', as(`${RUN}-fleet-viewers`), { verb: 'list', resource: 'pods', namespace: bShop }, true],
      ['fleet viewer gets secrets', as(`${RUN}-fleet-viewers`), { verb: 'get', resource: 'secrets', namespace: bShop }, false],
      // Developer: the brief's YAML in own namespaces; Secrets read-only.
      [
        'developer gets secrets in own namespace',
        as(group('client-a', 'developers')),
        { verb: 'get', resource: 'secrets', namespace: aWeb },
        true,
      ],
      ['developer creates secrets', as(group('client-a', 'developers')), { verb: 'create', resource: 'secrets', namespace: aWeb }, false],
      ['developer deletes secrets', as(group('client-a', 'developers')), { verb: 'delete', resource: 'secrets', namespace: aWeb }, false],
      [
        'developer patches a deployment',
        as(group('client-a', 'developers')),
        { verb: 'patch', group: 'apps', resource: 'deployments', namespace: aWeb },
        true,
      ],
      ['developer deletes a pod', as(group('client-a', 'developers')), { verb: 'delete', resource: 'pods', namespace: aWeb }, false],
      ['developer in another tenant', as(group('client-a', 'developers')), { verb: 'get', resource: 'secrets', namespace: bShop }, false],
      // Tenant admin: full within the tenant's namespaces, Secrets read-only, nothing outside.
      [
        'tenant admin deletes a deployment',
        as(group('client-a', 'admins')),
        { verb: 'delete', group: 'apps', resource: 'deployments', namespace: aWeb },
        true,
      ],
      [
        'tenant admin execs',
        as(group('client-a', 'admins')),
        { verb: 'create', resource: 'pods', subresource: 'exec', namespace: aWeb },
        true,
      ],
      ['tenant admin gets secrets', as(group('client-a', 'admins')), { verb: 'get', resource: 'secrets', namespace: aWeb }, true],
      ['tenant admin creates secrets', as(group('client-a', 'admins')), { verb: 'create', resource: 'secrets', namespace: aWeb }, false],
      [
        'tenant admin raises its quota',
        as(group('client-a', 'admins')),
        { verb: 'update', resource: 'resourcequotas', namespace: aWeb },
        false,
      ],
      ['tenant admin in another tenant', as(group('client-a', 'admins')), { verb: 'list', resource: 'pods', namespace: bShop }, false],
      ['tenant admin lists nodes', as(group('client-a', 'admins')), { verb: 'list', resource: 'nodes' }, false],
      // Platform admin: everything.
      ['platform admin deletes nodes', as(`${RUN}-platform`), { verb: 'delete', resource: 'nodes' }, true],
      ['platform admin reads secrets anywhere', as(`${RUN}-platform`), { verb: 'get', resource: 'secrets', namespace: bShop }, true],
      // The BFF's identity here: impersonates the chart's groups, lists what the violation store watches, reads no Secret.
      [
        'bff impersonates a tenant group',
        serviceAccountSubject(NAMESPACE, `${RUN}-bff`),
        { verb: 'impersonate', resource: 'groups', name: group('client-a', 'admins') },
        true,
      ],
      [
        'bff impersonates system:masters',
        serviceAccountSubject(NAMESPACE, `${RUN}-bff`),
        { verb: 'impersonate', resource: 'groups', name: 'system:masters' },
        false,
      ],
      ['bff watches namespaces', serviceAccountSubject(NAMESPACE, `${RUN}-bff`), { verb: 'watch', resource: 'namespaces' }, true],
      [
        'bff lists policy reports',
        serviceAccountSubject(NAMESPACE, `${RUN}-bff`),
        { verb: 'list', group: 'wgpolicyk8s.io', resource: 'policyreports' },
        true,
      ],
      ['bff gets secrets', serviceAccountSubject(NAMESPACE, `${RUN}-bff`), { verb: 'get', resource: 'secrets', namespace: aWeb }, false],
      ['bff lists pods', serviceAccountSubject(NAMESPACE, `${RUN}-bff`), { verb: 'list', resource: 'pods' }, false],
    ];
    const answers = await Promise.all(
      checks.map(async ([what, subject, access]) => [what, await canI(spokeAdmin, subject, access)] as const),
    );
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(checks.map(([what, , , allowed]) => [what, allowed])));
  });

  it('gives developers nothing on a production cluster', () => {
    const objects = render(MEMBER_CHART, { release: RUN, namespace: NAMESPACE, values: [tenantValues('production')] });
    const developerBindings = ofKind(objects, 'RoleBinding').filter((b) => (b.roleRef as { name: string }).name === `${prefix}developer`);
    expect(developerBindings).toEqual([]);
    const bffRole = one(objects, 'ClusterRole', `${prefix}bff`).rules as Rule[];
    expect(bffRole.find((r) => r.resources?.includes('groups'))?.resourceNames).not.toContain(group('client-a', 'developers'));
    const staging = render(MEMBER_CHART, { release: RUN, namespace: NAMESPACE, values: [tenantValues('staging')] });
    expect(ofKind(staging, 'RoleBinding').filter((b) => (b.roleRef as { name: string }).name === `${prefix}developer`)).toHaveLength(2);
  });
});

/** A minimal ServiceMonitor CRD, so the optional ServiceMonitor is dry-run too (the testbed has no Prometheus Operator). */
async function installServiceMonitorCrd(): Promise<void> {
  const name = 'servicemonitors.monitoring.coreos.com';
  const existing = await hubAdmin.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  if (existing.status === 404) {
    cleanups.push(() => hubAdmin.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`));
    await hubAdmin.expectOk('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name },
        spec: {
          group: 'monitoring.coreos.com',
          scope: 'Namespaced',
          names: { kind: 'ServiceMonitor', plural: 'servicemonitors', singular: 'servicemonitor', listKind: 'ServiceMonitorList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    });
  }
  await eventuallyTrue(async () => {
    const res = await hubAdmin.request<{ status?: { conditions?: { type: string; status: string }[] } }>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    return res.body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
  });
}

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
