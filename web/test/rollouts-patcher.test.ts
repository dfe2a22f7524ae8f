import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { queryKeys } from '../src/api/query-keys.ts';
import { applyRolloutEvents, flattenPages, type RolloutPages } from '../src/features/rollouts/apply-rollout-events.ts';
import { rolloutMatches } from '@fleetdeck/shared';

import { RolloutsSearch, listFilters } from '../src/features/rollouts/rollout-filters.ts';
import { rolloutsPatcher } from '../src/features/rollouts/rollouts-patcher.ts';
import { list, summary } from './rollouts-fixtures.ts';

const a = summary({ name: 'a' });
const b = summary({ name: 'b', state: 'AwaitingApproval', awaitingApproval: { wave: 'canary', position: 'after', canApprove: true } });
const c = summary({ name: 'c', tenant: 'client-a' });
const pages = (...p: ReturnType<typeof list>[]): RolloutPages => ({
  pages: p,
  pageParams: p.map((_, i) => (i === 0 ? undefined : `cur${i}`)),
});
const names = (d: RolloutPages) => flattenPages(d).map((r) => r.name);

describe('rollout list filters', () => {
  it('read the URL leniently and build the API query without empty values', () => {
    expect(RolloutsSearch.parse({ state: 'Failed', awaiting: true, source: 'nonsense', tenant: 'client-a' })).toEqual({
      state: 'Failed',
      awaiting: true,
      source: undefined,
      tenant: 'client-a',
    });
    expect(listFilters({ state: 'Failed', awaiting: true })).toEqual({ state: 'Failed', awaiting: 'true' });
    expect(listFilters({})).toEqual({});
  });

  it('match a summary as the BFF does', () => {
    expect(rolloutMatches(b, { awaiting: 'true' })).toBe(true);
    expect(rolloutMatches(a, { awaiting: 'true' })).toBe(false);
    expect(rolloutMatches({ ...b, awaitingApproval: { ...b.awaitingApproval!, canApprove: false } }, { awaiting: 'true' })).toBe(false);
    expect(rolloutMatches(b, { awaiting: 'false' })).toBe(true);
    expect(rolloutMatches(c, { tenant: 'client-a', source: 'demo' })).toBe(true);
    expect(rolloutMatches(c, { tenant: 'client-b' })).toBe(false);
    expect(rolloutMatches(a, { state: 'Failed' })).toBe(false);
  });
});

describe('applyRolloutEvents', () => {
  it('replaces an updated row where it is, across pages', () => {
    const data = pages(list([a]), list([b, c]));
    const moved = { ...c, progress: { total: 10, succeeded: 9, failed: 0, updating: 1 } };
    const next = applyRolloutEvents(data, [{ type: 'upsert', rollout: moved }], {});
    expect(names(next)).toEqual(['a', 'b', 'c']);
    expect(next.pages[1]!.items[1]!.progress.succeeded).toBe(9);
    expect(next.pages[0]).toBe(data.pages[0]);
  });

  it('puts a new matching rollout first and ignores one the filters exclude', () => {
    const data = pages(list([a]));
    const fresh = summary({ name: 'fresh', state: 'Failed' });
    expect(names(applyRolloutEvents(data, [{ type: 'upsert', rollout: fresh }], {}))).toEqual(['fresh', 'a']);
    expect(applyRolloutEvents(data, [{ type: 'upsert', rollout: fresh }], { state: 'Progressing' })).toBe(data);
  });

  it('drops a row that no longer matches, and a deleted one', () => {
    const data = pages(list([a, b]));
    const approved = { ...b, state: 'Progressing' as const, awaitingApproval: undefined };
    expect(names(applyRolloutEvents(data, [{ type: 'upsert', rollout: approved }], { awaiting: 'true' }))).toEqual(['a']);
    expect(names(applyRolloutEvents(data, [{ type: 'delete', id: a.id }], {}))).toEqual(['b']);
    expect(applyRolloutEvents(data, [{ type: 'delete', id: 'demo~~nope' }], {})).toBe(data);
  });

  it('applies a batch in order (an upsert after a delete brings it back)', () => {
    const data = pages(list([a, b]));
    expect(
      names(
        applyRolloutEvents(
          data,
          [
            { type: 'delete', id: a.id },
            { type: 'upsert', rollout: a },
          ],
          {},
        ),
      ),
    ).toEqual(['a', 'b']);
  });

  it('shows each rollout once when a live insert comes again on a later page', () => {
    expect(names(pages(list([c, a]), list([b, c])))).toEqual(['c', 'a', 'b']);
  });
});

describe('rolloutsPatcher', () => {
  it('patches every cached list by its own filters and marks the named rollout stale', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.rollouts.list({}), pages(list([a, b])));
    qc.setQueryData(queryKeys.rollouts.list({ awaiting: 'true' }), pages(list([b])));
    qc.setQueryData(queryKeys.rollouts.detail(b.id), { some: 'detail' });
    qc.setQueryData(queryKeys.rollouts.detail(a.id), { some: 'detail' });
    const approved = { ...b, state: 'Progressing' as const, awaitingApproval: undefined };
    rolloutsPatcher.apply(qc, [{ type: 'upsert', rollout: approved }]);
    expect(names(qc.getQueryData<RolloutPages>(queryKeys.rollouts.list({}))!)).toEqual(['a', 'b']);
    expect(names(qc.getQueryData<RolloutPages>(queryKeys.rollouts.list({ awaiting: 'true' }))!)).toEqual([]);
    expect(qc.getQueryState(queryKeys.rollouts.detail(b.id))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.rollouts.detail(a.id))?.isInvalidated).toBe(false);
  });

  it('leaves lists it has not cached alone, and refetches everything on resync', async () => {
    const qc = new QueryClient();
    rolloutsPatcher.apply(qc, [{ type: 'upsert', rollout: a }]);
    expect(qc.getQueryData(queryKeys.rollouts.list({}))).toBeUndefined();
    qc.setQueryData(queryKeys.rollouts.list({}), pages(list([a])));
    qc.setQueryData(queryKeys.rollouts.detail(a.id), { some: 'detail' });
    await rolloutsPatcher.resync(qc);
    expect(qc.getQueryState(queryKeys.rollouts.list({}))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.rollouts.detail(a.id))?.isInvalidated).toBe(true);
  });
});
