import { describe, expect, it } from 'vitest';

import { LogQLMemo, logAccessKey, queryKind } from '../../src/access/logql/enforce-memo.ts';
import { enforceLogQL, enforceLogQLPerGroup, logAccess } from '../../src/access/logql/index.ts';
import { ALL_QUERIES } from './logql-corpus.ts';

const clientA = logAccess([{ clusters: ['a-prod', 'a-dev'], namespaces: '*' }]);
const clientB = logAccess([{ clusters: ['b-prod'], namespaces: '*' }]);
// Two groups: log queries run once per group, metric queries are joined with `or`.
const developer = logAccess([
  { clusters: ['a-dev'], namespaces: ['client-a-*'] },
  { clusters: ['a-staging'], namespaces: ['client-a-web'] },
]);
const INVALID = ['', '{app="x"', 'sum(', '{app="x"} |= ', 'up', '"just a string"'];

describe('the LogQL enforcement memo', () => {
  it('gives exactly what the enforcer gives, for the whole corpus and invalid queries, first and second time', () => {
    const memo = new LogQLMemo();
    const queries = [...ALL_QUERIES, ...INVALID];
    for (let round = 0; round < 2; round++) {
      for (const access of [clientA, developer]) {
        for (const q of queries) {
          expect(memo.enforce(q, access), q).toEqual(enforceLogQL(q, access));
          expect(memo.perGroup(q, access), q).toEqual(enforceLogQLPerGroup(q, access));
          expect(memo.kind(q), q).toEqual(queryKind(q));
        }
      }
    }
    expect(memo.hits).toBe(queries.length * 2 * 3 + queries.length); // kind is the same for both accesses
  });

  it('answers per-group queries with the caller’s own group objects, in order', () => {
    const memo = new LogQLMemo();
    memo.perGroup('{app="api"}', developer);
    const again = logAccess([
      { clusters: ['a-staging'], namespaces: ['client-a-web'] },
      { clusters: ['a-dev'], namespaces: ['client-a-*'] },
    ]);
    expect(logAccessKey(again)).toBe(logAccessKey(developer));
    const per = memo.perGroup('{app="api"}', again);
    expect(memo.hits).toBe(1);
    if ('error' in per) throw new Error(per.error);
    expect(per.queries.map((q) => q.group)).toEqual(again.groups);
    per.queries.forEach((q, i) => expect(q.group).toBe(again.groups[i]));
    expect(per.queries[0]!.query).toContain('a-dev');
    expect(per.queries[1]!.query).toContain('a-staging');
  });

  it("never answers one scope with another's query: the same query under two accesses is two entries", () => {
    const memo = new LogQLMemo();
    const a = memo.enforce('{app="api"}', clientA);
    const b = memo.enforce('{app="api"}', clientB);
    expect('query' in a && a.query).toBe('{app="api", cluster=~"a-(?:dev|prod)"}');
    expect('query' in b && b.query).toBe('{app="api", cluster=~"b-prod"}');
    expect(memo.misses).toBe(2);
  });

  it('keys an access by its full text: equal accesses share, one cluster or one namespace more does not', () => {
    const same = logAccess([{ clusters: ['a-dev', 'a-prod'], namespaces: '*' }]);
    expect(logAccessKey(same)).toBe(logAccessKey(clientA));
    const wider = logAccess([{ clusters: ['a-prod', 'a-dev', 'a-staging'], namespaces: '*' }]);
    expect(logAccessKey(wider)).not.toBe(logAccessKey(clientA));
    const limited = logAccess([{ clusters: ['a-prod', 'a-dev'], namespaces: ['client-a-*'] }]);
    expect(logAccessKey(limited)).not.toBe(logAccessKey(clientA));
    const memo = new LogQLMemo();
    memo.enforce('{app="api"}', clientA);
    const out = memo.enforce('{app="api"}', wider);
    expect('query' in out && out.query).toBe('{app="api", cluster=~"a-(?:dev|prod|staging)"}');
    const ns = memo.enforce('{app="api"}', limited);
    expect('query' in ns && ns.query).toContain('namespace=~');
  });

  it('stays within its character budget, dropping the least recently used first', () => {
    const memo = new LogQLMemo(4_000);
    const queries = Array.from({ length: 40 }, (_, i) => `{job="job-${i}"}`);
    for (const q of queries) memo.enforce(q, clientA);
    expect(memo.size).toBeLessThan(40);
    expect(memo.size).toBeGreaterThan(0);
    const hits = memo.hits;
    memo.enforce(queries.at(-1)!, clientA);
    expect(memo.hits).toBe(hits + 1);
    memo.enforce(queries[0]!, clientA);
    expect(memo.hits).toBe(hits + 1);
  });
});
