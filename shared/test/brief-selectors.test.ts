import { describe, expect, it } from 'vitest';

import { demoClusters } from '../src/fixtures/brief-fleet.ts';
import { compileSelector, parseSelector } from '../src/selectors/selector.ts';

const fleet = demoClusters(new Date('2026-11-25T00:00:00Z'));
const select = (text: string) =>
  fleet
    .filter(compileSelector(parseSelector(text)))
    .map((c) => c.name)
    .sort();
const edge = Array.from({ length: 12 }, (_, i) => `edge-retail-${String(i + 1).padStart(3, '0')}`);

/** Every selector example the brief gives, against the demo fleet: a sensible, non-empty set each. */
describe('the brief’s selector examples on the demo fleet', () => {
  it('selects by label', () => {
    expect(select('env=production')).toEqual(['prod-asia', 'prod-eu-west', 'prod-us-east', 'prod-us-west', ...edge].sort());
    // The brief writes client=acme as a placeholder; the demo's clients are client-a/b/c.
    expect(select('client=client-a')).toEqual(['client-a-staging', 'prod-us-east', 'prod-us-west', ...edge].sort());
    expect(select('region=us-east')).toEqual(
      ['client-a-staging', 'edge-retail-001', 'edge-retail-004', 'edge-retail-007', 'edge-retail-010', 'prod-us-east'].sort(),
    );
    expect(select('env=production,client=client-a,region=us-east')).toEqual(
      ['edge-retail-001', 'edge-retail-004', 'edge-retail-007', 'edge-retail-010', 'prod-us-east'].sort(),
    );
  });

  it('selects by name glob', () => {
    expect(select('prod-*')).toEqual(['prod-asia', 'prod-eu-west', 'prod-us-east', 'prod-us-west']);
    expect(select('*-staging*')).toEqual(['client-a-staging', 'client-b-staging', 'client-c-staging']);
    expect(select('edge-retail-00?')).toEqual(edge.slice(0, 9));
  });

  it('selects by group', () => {
    expect(select('client-a/*')).toEqual(select('client=client-a'));
    expect(select('edge-clusters/*')).toEqual(edge);
  });

  it('selects by annotation', () => {
    expect(select('annotation:tier=critical')).toEqual(['prod-asia', 'prod-eu-west', 'prod-us-east', 'prod-us-west']);
    expect(select('annotation:compliance=pci')).toEqual(['prod-us-east', 'prod-us-west']);
  });

  it('selects the bundle targets of the brief’s fleet.yaml and its patch waves', () => {
    expect(select('client=client-a,type=edge')).toEqual(edge);
    expect(select('tier=canary')).toEqual(['edge-retail-001']);
    expect(select('env notin (production)')).toEqual(['client-a-staging', 'client-b-dev', 'client-b-staging', 'client-c-staging']);
    expect(select('env=staging')).toEqual(['client-a-staging', 'client-b-staging', 'client-c-staging']);
  });
});
