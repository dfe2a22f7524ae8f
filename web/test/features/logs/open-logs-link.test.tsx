// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { apiPaths } from '@fleetdeck/shared';

import { detail, wave } from '../../rollouts-fixtures.ts';
import { ME, fakeBff, renderApp } from '../../rollouts-harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
vi.setConfig({ testTimeout: 20_000 });

describe('"Open logs" on a rollout', () => {
  it('is offered for a failed cluster only, for that cluster around when it failed', async () => {
    const rollout = detail({
      waves: [
        wave({
          name: 'canary',
          index: 0,
          state: 'Failed',
          progress: { total: 2, succeeded: 1, failed: 1, updating: 0 },
          clusters: [
            { cluster: 'edge-retail-001', region: 'us-east', state: 'Succeeded', finishedAt: '2026-11-25T09:58:00Z' },
            {
              cluster: 'edge-retail-002',
              region: 'us-east',
              state: 'Failed',
              finishedAt: '2026-11-25T10:00:00Z',
              message: 'image pull failed',
            },
          ],
        }),
      ],
    });
    fakeBff({ [apiPaths.me]: { body: ME }, [`/api/rollouts/${rollout.id}`]: { body: rollout } });
    await renderApp(`/rollouts/${rollout.id}`);
    const failed = (await screen.findAllByTestId('cluster-cell')).find((c) => c.dataset.cluster === 'edge-retail-002')!;
    const link = within(failed).getByRole('link', { name: 'Open logs of edge-retail-002' });
    const url = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/logs');
    expect(url.searchParams.get('query')).toBe('{cluster="edge-retail-002"}');
    expect(url.searchParams.get('from')).toBe('2026-11-25T09:45:00.000Z');
    expect(url.searchParams.get('to')).toBe('2026-11-25T10:15:00.000Z');
    const ok = screen.getAllByTestId('cluster-cell').find((c) => c.dataset.cluster === 'edge-retail-001')!;
    expect(within(ok).queryByRole('link', { name: /Open logs/ })).toBeNull();
  });
});
