import type { Cluster, Scope } from '@fleetdeck/shared';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';

import {
  enforceMatchers,
  enforcePromQL,
  MAX_QUERY_CHARS,
  NO_ACCESS,
  promAccess,
  promAccessFor,
  type PromAccess,
} from '../../src/access/promql/index.ts';
import { INVALID, PROMQL_CORPUS, REFUSED_FOR_SEVERAL_GROUPS } from './promql-corpus.ts';

interface Sel {
  name: string;
  matchers: string[];
}

/** Every vector selector of `q`, read from lezer's tree (never from the text); throws on an error node. */
function selectors(q: string): Sel[] {
  const out: Sel[] = [];
  parser.parse(q).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`error node at ${ref.from} in ${q.slice(0, 200)}`);
      if (ref.name !== 'VectorSelector') return;
      const id = ref.node.getChild('Identifier');
      const matchers: string[] = [];
      for (let c = ref.node.getChild('LabelMatchers')?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher' || c.name === 'QuotedLabelName')
          matchers.push(q.slice(c.from, c.to));
      }
      out.push({ name: id ? q.slice(id.from, id.to) : '', matchers });
    },
  });
  return out;
}

const key = (s: Sel) => JSON.stringify([s.name, s.matchers]);

/** The group whose matchers lead selector `s` (inserted first), and the user's matchers after them. */
function splitEnforced(s: Sel, access: PromAccess): { group: number; user: Sel } | undefined {
  for (const [i, g] of access.groups.entries()) {
    const texts = g.matchers.map((m) => m.text);
    if (texts.every((t, j) => s.matchers[j] === t)) return { group: i, user: { name: s.name, matchers: s.matchers.slice(texts.length) } };
  }
  return undefined;
}

/** Checks the enforced query walking its re-parsed tree; returns the groups used. */
function expectScoped(input: string, output: string, access: PromAccess): Set<number> {
  const before = selectors(input);
  const after = selectors(output);
  const used = new Set<number>();
  const userKeys = new Set<string>();
  for (const s of after) {
    const found = splitEnforced(s, access);
    expect(found, `selector ${key(s)} of ${output.slice(0, 300)}`).toBeDefined();
    used.add(found!.group);
    userKeys.add(key(found!.user));
  }
  // Every user matcher is still there, on the same metric; nothing was added but the scope.
  expect(userKeys).toEqual(new Set(before.map(key)));
  if (access.groups.length === 1) expect(after.map((s) => key(splitEnforced(s, access)!.user))).toEqual(before.map(key));
  else expect(after.length).toBeGreaterThanOrEqual(before.length * (before.length > 0 ? access.groups.length : 0));
  return used;
}

const oneGroup = promAccess([{ clusters: ['prod-us-east', 'dev', 'edge.retail-1'], namespaces: '*' }]);
const developer = promAccess([
  { clusters: ['dev', 'staging'], namespaces: ['client-a-*'] },
  { clusters: ['prod-us-east', 'prod-us-west'], namespaces: ['client-a-monitoring'] },
  { clusters: ['client-a-sandbox'], namespaces: '*' },
]);

describe('PromQL enforcer: the corpus', () => {
  it('has at least 200 distinct queries', () => {
    expect(new Set(PROMQL_CORPUS).size).toBeGreaterThanOrEqual(200);
  });

  for (const [label, access] of [
    ['one group', oneGroup],
    ['several groups', developer],
  ] as const) {
    it(`scopes every selector of every query (${label}), keeps user matchers, and verifies when enforced twice`, () => {
      for (const q of PROMQL_CORPUS) {
        const result = enforcePromQL(q, access);
        if (access.groups.length > 1 && REFUSED_FOR_SEVERAL_GROUPS.has(q)) {
          expect(result, q).toHaveProperty('error');
          continue;
        }
        if ('error' in result) throw new Error(`${q.slice(0, 200)}: ${result.error}`);
        const used = expectScoped(q, result.query, access);
        if (selectors(q).length > 0 && access.groups.length > 1) expect(used.size, q).toBe(access.groups.length);
        const twice = enforcePromQL(result.query, access);
        if ('error' in twice) throw new Error(`twice ${q.slice(0, 200)}: ${twice.error}`);
        for (const s of selectors(twice.query)) expect(splitEnforced(s, access), q).toBeDefined();
      }
    });
  }
});

describe('PromQL enforcer: refusals', () => {
  it('refuses bad PromQL with the position of the first error', () => {
    for (const [q, position] of INVALID) {
      const r = enforcePromQL(q, oneGroup);
      expect(r, JSON.stringify(q)).toMatchObject({ position });
    }
  });

  it('refuses everything for a person who sees no cluster', () => {
    const scope: Scope = { grants: [{ role: 'developer', tenants: ['client-z'], environments: '*', namespaces: '*', verbs: ['view'] }] };
    const access = promAccessFor(scope, [{ name: 'dev', tenant: 'client-a', environment: 'dev' }]);
    expect(access.groups).toEqual([]);
    expect(enforcePromQL('up', access)).toEqual({ error: NO_ACCESS });
    expect(enforcePromQL('vector(1)', access)).toEqual({ error: NO_ACCESS });
    expect(enforceMatchers([], access)).toEqual({ error: NO_ACCESS });
    expect(promAccessFor({ grants: [] }, [{ name: 'dev', tenant: 'client-a', environment: 'dev' }]).groups).toEqual([]);
  });

  it('refuses info(), over-long queries, and fails closed when lezer cannot parse the rewrite', () => {
    expect(enforcePromQL('info(rate(x[5m]), {k8s_cluster_name=~".+"})', oneGroup)).toHaveProperty('error');
    expect(enforcePromQL(`up{job="${'x'.repeat(MAX_QUERY_CHARS)}"}`, oneGroup)).toHaveProperty('error');
    // lezer gives up on long left-associative chains; the rewrite is longer than the input.
    const chain = Array.from({ length: 200 }, (_, i) => `m${i}{job="j${i}"}`).join(' + ');
    const r = enforcePromQL(chain, developer);
    if ('query' in r) expectScoped(chain, r.query, developer);
    else expect(r.error).toMatch(/not run|syntax error/);
  });

  it('refuses a range selector that several groups cannot split, naming it', () => {
    expect(enforcePromQL('up[5m]', developer)).toMatchObject({ error: expect.stringContaining('range selector') as string, position: 0 });
    expect(enforcePromQL('sum(up[5m])', developer)).toMatchObject({ position: 4 });
    expect(enforcePromQL('up[5m]', oneGroup)).toHaveProperty('query');
  });
});

describe('PromQL enforcer: rewriting', () => {
  const c = oneGroup.groups[0]!.matchers[0]!.text;

  it('ANDs the scope and never removes, replaces or compares a user matcher', () => {
    expect(c).toBe('cluster=~"dev|edge\\\\.retail-1|prod-us-east"');
    expect(enforcePromQL('up{cluster="prod-eu-west"}', oneGroup)).toEqual({ query: `up{${c},cluster="prod-eu-west"}` });
    expect(enforcePromQL('up{cluster!="dev"}', oneGroup)).toEqual({ query: `up{${c},cluster!="dev"}` });
    expect(enforcePromQL('{__name__=~".+"}', oneGroup)).toEqual({ query: `{${c},__name__=~".+"}` });
    expect(enforcePromQL('{"up"}', oneGroup)).toEqual({ query: `{${c},"up"}` });
    expect(enforcePromQL('up offset 5m', oneGroup)).toEqual({ query: `up{${c}} offset 5m` });
  });

  it('decides nothing from comments or string contents', () => {
    expect(enforcePromQL('up # {cluster=~".*"}', oneGroup)).toEqual({ query: `up{${c}} # {cluster=~".*"}` });
    expect(enforcePromQL('up{job="} or x{"}', oneGroup)).toEqual({ query: `up{${c},job="} or x{"}` });
  });

  it('puts the scope first, so absent() keeps the labels of the user equality matchers', () => {
    expect(enforcePromQL('absent(x{cluster="dev"})', oneGroup)).toEqual({ query: `absent(x{${c},cluster="dev"})` });
  });

  it('splits per group where the result is an instant vector', () => {
    const [g0, g1, g2] = developer.groups.map((g) => g.matchers.map((m) => m.text).join(','));
    expect(enforcePromQL('up', developer)).toEqual({ query: `(up{${g0}} or up{${g1}} or up{${g2}})` });
    expect(enforcePromQL('rate(x[5m])', developer)).toEqual({ query: `(rate(x{${g0}}[5m]) or rate(x{${g1}}[5m]) or rate(x{${g2}}[5m]))` });
    expect(enforcePromQL('absent(x)', developer)).toEqual({ query: `(absent(x{${g0}}) and absent(x{${g1}}) and absent(x{${g2}}))` });
    expect(enforcePromQL('a / b offset 1d', developer)).toEqual({
      query: `(a{${g0}} or a{${g1}} or a{${g2}}) / (b{${g0}} offset 1d or b{${g1}} offset 1d or b{${g2}} offset 1d)`,
    });
    // `group_left (` would read the split as a label list.
    expect((enforcePromQL('a * on() group_left b', developer) as { query: string }).query).toContain('group_left() (b{');
  });

  it('groups clusters by namespace patterns from the scope', () => {
    const clusters: Pick<Cluster, 'name' | 'tenant' | 'environment'>[] = [
      { name: 'dev', tenant: 'client-a', environment: 'dev' },
      { name: 'staging', tenant: 'client-a', environment: 'staging' },
      { name: 'prod-us-east', tenant: 'client-a', environment: 'production' },
      { name: 'prod-eu-west', tenant: 'client-b', environment: 'production' },
    ];
    const scope: Scope = {
      grants: [{ role: 'developer', tenants: ['client-a'], environments: ['dev', 'staging'], namespaces: ['client-a-*'], verbs: ['view'] }],
    };
    expect(promAccessFor(scope, clusters).groups).toEqual([
      {
        clusters: ['dev', 'staging'],
        namespaces: ['client-a-*'],
        matchers: [
          { name: 'cluster', regex: 'dev|staging', text: 'cluster=~"dev|staging"' },
          { name: 'namespace', regex: 'client-a-.*', text: 'namespace=~"client-a-.*"' },
        ],
      },
    ]);
    const admin: Scope = { grants: [{ role: 'tenant-admin', tenants: ['client-a'], environments: '*', namespaces: '*', verbs: ['view'] }] };
    expect(promAccessFor(admin, clusters).groups.map((g) => g.clusters)).toEqual([['dev', 'prod-us-east', 'staging']]);
  });
});

// A tiny PromQL matcher evaluator: RE2 regexes are fully anchored in PromQL.
type Labels = Record<string, string>;

function decode(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  if (raw.startsWith("'")) return JSON.parse(`"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(raw) as string;
}

function matches(matcher: string, labels: Labels): boolean {
  const tree = parser.parse(`{${matcher}}`);
  const node = tree.topNode.firstChild!.firstChild!.firstChild!;
  const text = (n: { from: number; to: number }) => `{${matcher}}`.slice(n.from, n.to);
  const nameNode = node.firstChild!;
  const name = nameNode.name === 'LabelName' ? text(nameNode) : decode(text(nameNode));
  const op = text(node.getChild('MatchOp')!);
  const value = decode(text(node.getChild('StringLiteral', 'MatchOp')!));
  const have = labels[name] ?? '';
  const re = () => new RegExp(`^(?:${value})$`).test(have);
  return op === '=' ? have === value : op === '!=' ? have !== value : op === '=~' ? re() : !re();
}

function admitted(query: string, labels: Labels): boolean {
  return selectors(query).some((s) => s.matchers.every((m) => matches(m, labels)));
}

describe('PromQL enforcer: a Developer never gets a (cluster, namespace) pair outside the grants', () => {
  const scope: Scope = {
    grants: [
      { role: 'developer', tenants: ['client-a'], environments: ['dev', 'staging'], namespaces: ['client-a-*'], verbs: ['view'] },
      { role: 'viewer', tenants: ['client-a'], environments: ['production'], namespaces: ['client-a-monitoring'], verbs: ['view'] },
    ],
  };
  const clusters = [
    { name: 'dev', tenant: 'client-a', environment: 'dev' },
    { name: 'staging', tenant: 'client-a', environment: 'staging' },
    { name: 'prod-us-east', tenant: 'client-a', environment: 'production' },
    { name: 'prod-eu-west', tenant: 'client-b', environment: 'production' },
  ];
  const access = promAccessFor(scope, clusters);
  const allowed = (l: Labels) =>
    (['dev', 'staging'].includes(l.cluster ?? '') && /^client-a-/.test(l.namespace ?? '')) ||
    (l.cluster === 'prod-us-east' && l.namespace === 'client-a-monitoring');
  const samples: Labels[] = [];
  for (const cluster of ['dev', 'staging', 'prod-us-east', 'prod-eu-west', '', 'dev|prod-us-east']) {
    for (const namespace of ['client-a-web', 'client-a-monitoring', 'kube-system', 'client-b-web', '']) {
      samples.push({ __name__: 'container_cpu_usage_seconds_total', cluster, namespace, job: 'kubelet' });
    }
  }

  it('has two groups, and independent regexes would leak (prod-us-east, client-a-web)', () => {
    expect(access.groups.map((g) => g.clusters)).toEqual([['dev', 'staging'], ['prod-us-east']]);
    const naive = `x{cluster=~"dev|staging|prod-us-east",namespace=~"client-a-.*|client-a-monitoring"}`;
    expect(admitted(naive, { cluster: 'prod-us-east', namespace: 'client-a-web' })).toBe(true);
  });

  for (const q of [
    'sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total{namespace=~"client-a-.*"}[5m]))',
    'container_cpu_usage_seconds_total{cluster="prod-us-east"}',
    '{__name__=~".+"}',
    'label_replace(container_cpu_usage_seconds_total, "cluster", "prod-us-east", "", "") or vector(1)',
    'absent_over_time(container_cpu_usage_seconds_total{cluster!="dev"}[5m])',
    'max_over_time(container_cpu_usage_seconds_total{namespace!=""}[1h:1m] offset 1d)',
  ]) {
    it(`admits only allowed pairs, and all of those the user asked for: ${q}`, () => {
      const r = enforcePromQL(q, access);
      if ('error' in r) throw new Error(r.error);
      const user = selectors(q)[0]!;
      for (const l of samples) {
        const got = admitted(r.query, l);
        if (got) expect(allowed(l), JSON.stringify(l)).toBe(true);
        // Nothing allowed and asked for is lost.
        expect(got, JSON.stringify(l)).toBe(allowed(l) && user.matchers.every((m) => matches(m, l)));
      }
    });
  }
});

describe('enforceMatchers (series / labels match[])', () => {
  it('adds one selector per group, keeps user matchers, and covers "no match[]" with the groups', () => {
    const r = enforceMatchers(['up{cluster!="dev"}', '{__name__=~"kube_.*"}'], developer);
    if ('error' in r) throw new Error(r.error);
    expect(r.matchers).toHaveLength(2 * developer.groups.length);
    for (const m of r.matchers) {
      const [s] = selectors(m);
      expect(splitEnforced(s!, developer)).toBeDefined();
    }
    expect(r.matchers[0]).toBe(`up{${developer.groups[0]!.matchers.map((x) => x.text).join(',')},cluster!="dev"}`);
    const all = enforceMatchers([], developer);
    expect(all).toEqual({ matchers: developer.groups.map((g) => `{${g.matchers.map((x) => x.text).join(',')}}`) });
  });

  it('refuses anything but a plain selector, with the index', () => {
    expect(enforceMatchers(['up', 'rate(x[5m])'], oneGroup)).toMatchObject({ index: 1 });
    expect(enforceMatchers(['up offset 5m'], oneGroup)).toMatchObject({ index: 0 });
    expect(enforceMatchers(['up{job="x"'], oneGroup)).toMatchObject({ index: 0, position: 10 });
    expect(enforceMatchers(['{}'], oneGroup)).toMatchObject({ index: 0 });
  });
});
