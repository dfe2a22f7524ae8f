import { describe, expect, it } from 'vitest';

import { byStatusText, groupRows } from '../../../src/features/deliveries/group-rows.ts';
import { shortCommit } from '../../../src/features/deliveries/commit.tsx';
import { argoApp, fleetRepo, RENDERED } from './deliveries-fixtures.ts';

const a = fleetRepo();
const b = argoApp();

describe('groupRows', () => {
  it('lists each delivery once when not grouped (a row repeated across pages shows once)', () => {
    const rows = groupRows([{ delivery: a }, { delivery: b }, { delivery: a }], 'none');
    expect(rows.map((r) => (r.kind === 'item' ? r.delivery.id : r.label))).toEqual([a.id, b.id]);
  });

  it('grouped by cluster, repeats a delivery under each cluster it reaches, groups in server order with loaded counts', () => {
    const rows = groupRows(
      [
        { group: 'prod-us-east', delivery: a },
        { group: 'prod-us-east', delivery: b },
        { group: 'staging', delivery: a },
        { group: 'staging', delivery: a },
      ],
      'cluster',
    );
    expect(rows.map((r) => (r.kind === 'group' ? `# ${r.label} ${r.count}` : r.delivery.name))).toEqual([
      '# prod-us-east 2',
      'core-stack',
      'storefront-prod-us-east',
      '# staging 1',
      'core-stack',
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('puts rows without a group key under a named heading', () => {
    expect(groupRows([{ delivery: a }], 'tenant')[0]).toMatchObject({ kind: 'group', label: '(no tenant)', count: 1 });
  });
});

describe('small helpers', () => {
  it('says the clusters by state, leaving out zeros', () => {
    expect(byStatusText({ ErrApplied: 1, Ready: 3, Pending: 0 })).toBe('1 ErrApplied, 3 Ready');
  });

  it('shortens git hashes only', () => {
    expect(shortCommit(RENDERED)).toBe('0123456');
    expect(shortCommit('v1.2.3')).toBe('v1.2.3');
  });
});
