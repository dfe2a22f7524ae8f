import { describe, expect, it } from 'vitest';

import { demoClusters } from '../src/fixtures/brief-fleet.ts';
import { SelectorError, compileSelector, parseSelector } from '../src/selectors/selector.ts';

const fleet = demoClusters(new Date('2026-11-24T10:00:00Z'));
const select = (text: string) => fleet.filter(compileSelector(parseSelector(text))).map((c) => c.name);

describe('parseSelector', () => {
  it('reads the brief’s label selectors, ANDed by commas', () => {
    expect(parseSelector('env=production,client=acme,region=us-east').requirements).toEqual([
      { kind: 'label', key: 'env', op: '=', values: ['production'] },
      { kind: 'label', key: 'client', op: '=', values: ['acme'] },
      { kind: 'label', key: 'region', op: '=', values: ['us-east'] },
    ]);
  });

  it('reads set-based requirements, exists and not-exists', () => {
    expect(parseSelector('tier in (edge, canary), env notin (dev), region, !team').requirements).toEqual([
      { kind: 'label', key: 'tier', op: 'in', values: ['edge', 'canary'] },
      { kind: 'label', key: 'env', op: 'notin', values: ['dev'] },
      { kind: 'label', key: 'region', op: 'exists', values: [] },
      { kind: 'label', key: 'team', op: '!exists', values: [] },
    ]);
  });

  it('reads name globs, groups and annotations', () => {
    expect(parseSelector('cluster-prod-*, *-staging-*').requirements).toEqual([
      { kind: 'name', glob: 'cluster-prod-*' },
      { kind: 'name', glob: '*-staging-*' },
    ]);
    expect(parseSelector('client-a/*').requirements).toEqual([{ kind: 'group', group: 'client-a', glob: '*' }]);
    expect(parseSelector('group:edge-clusters').requirements).toEqual([{ kind: 'group', group: 'edge-clusters', glob: '*' }]);
    expect(parseSelector('annotation:compliance=pci').requirements).toEqual([
      { kind: 'annotation', key: 'compliance', op: '=', values: ['pci'] },
    ]);
    expect(parseSelector('name:prod-us-east').requirements).toEqual([{ kind: 'name', glob: 'prod-us-east' }]);
    expect(parseSelector('  ').requirements).toEqual([]);
  });

  const bad: [string, number, RegExp][] = [
    ['env=prod,,tier=edge', 9, /empty term/],
    ['env=prod,', 9, /empty term/],
    ['env=pro d', 7, /invalid value/],
    ['tier in (edge,canary', 19, /missing "\)"/],
    ['tier in edge)', 12, /unexpected "\)"/],
    ['env=prod, $tier=edge', 10, /invalid key/],
    ['env>3', 3, /unexpected ">"/],
    ['group:', 6, /needs something/],
    ['name:Prod_*', 5, /invalid cluster name glob/],
    ['tier in ()', 9, /at least one value/],
  ];
  for (const [text, position, message] of bad) {
    it(`refuses ${JSON.stringify(text)} pointing at character ${position + 1}`, () => {
      let error: unknown;
      try {
        parseSelector(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SelectorError);
      expect((error as SelectorError).message).toMatch(message);
      expect((error as SelectorError).position).toBe(position);
    });
  }

  it('refuses an overlong selector', () => {
    expect(() => parseSelector('a'.repeat(3000))).toThrow(SelectorError);
  });
});

describe('compileSelector on the brief’s fleet', () => {
  it('selects by label', () => {
    expect(select('env=production,client=client-b')).toEqual(['prod-eu-west']);
    expect(select('client=client-a,env=production,region=us-west')).toEqual([
      'prod-us-west',
      'edge-retail-003',
      'edge-retail-006',
      'edge-retail-009',
      'edge-retail-012',
    ]);
    expect(select('tier in (canary)')).toEqual(['edge-retail-001']);
    expect(select('env notin (production)').sort()).toEqual(['client-a-staging', 'client-b-dev', 'client-b-staging', 'client-c-staging']);
    expect(select('env!=production').length).toBe(4);
    expect(select('nonexistent')).toEqual([]);
    expect(select('!nonexistent').length).toBe(fleet.length);
  });

  it('selects by name glob', () => {
    expect(select('prod-*').sort()).toEqual(['prod-asia', 'prod-eu-west', 'prod-us-east', 'prod-us-west']);
    expect(select('*-staging').sort()).toEqual(['client-a-staging', 'client-b-staging', 'client-c-staging']);
    expect(select('edge-retail-01?')).toEqual(['edge-retail-010', 'edge-retail-011', 'edge-retail-012']);
  });

  it('selects by group: a tenant or a named group, with a name glob', () => {
    expect(select('client-c/*').sort()).toEqual(['client-c-staging', 'prod-asia']);
    expect(select('edge-clusters/*')).toHaveLength(12);
    expect(select('edge-clusters/edge-retail-00?')).toHaveLength(9);
    expect(select('client-b/prod-*')).toEqual(['prod-eu-west']);
  });

  it('selects by annotation', () => {
    expect(select('annotation:compliance=pci').sort()).toEqual(['prod-us-east', 'prod-us-west']);
    expect(select('annotation:compliance in (pci, gdpr), region=eu-west')).toEqual(['prod-eu-west']);
  });
});
