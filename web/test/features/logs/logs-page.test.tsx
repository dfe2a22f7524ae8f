// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { apiPaths, logsApiPaths, type LogsScope } from '@fleetdeck/shared';

import { FakeEventSource, ME, fakeBff, problem, renderApp, type Answer } from '../../rollouts-harness.tsx';
import { giveEveryBoxASize } from '../../helpers/box-size.ts';

// The virtual list and the chart render rows and bars.
beforeEach(() => giveEveryBoxASize(900, 600));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  FakeEventSource.last = undefined;
});
// The first test also loads the page's lazy chunk (recharts).
vi.setConfig({ testTimeout: 20_000 });

const SCOPE: LogsScope = {
  groups: [{ clusters: ['staging'], namespaces: ['client-a-web'], matchers: 'cluster=~"staging", namespace=~"client-a-web"' }],
  unrestricted: false,
};
const T0 = Date.now() - 60_000;
const ns = (ms: number) => `${ms}000000`;

/** The BFF: scope, label values, lines (log queries) and volume (metric queries with a step). */
function bff(extra: Record<string, Answer> = {}) {
  return fakeBff({
    [apiPaths.me]: { body: ME },
    [logsApiPaths.scope]: { body: SCOPE },
    '/api/loki/api/v1/label/cluster/values': { body: { status: 'success', data: ['staging'] } },
    '/api/loki/api/v1/label/namespace/values': { body: { status: 'success', data: ['client-a-web'] } },
    '/api/loki/api/v1/label/pod/values': { body: { status: 'success', data: ['web-1'] } },
    '/api/loki/api/v1/label/container/values': { body: { status: 'success', data: ['app'] } },
    '/api/loki/api/v1/query_range': (url) =>
      url.searchParams.has('step')
        ? {
            body: {
              status: 'success',
              data: { resultType: 'matrix', result: [{ metric: { level: 'error' }, values: [[Math.floor(T0 / 1000), '1']] }] },
            },
          }
        : {
            body: {
              status: 'success',
              data: {
                resultType: 'streams',
                result: [
                  {
                    stream: { cluster: 'staging', namespace: 'client-a-web', pod: 'web-1' },
                    values: [
                      [ns(T0 + 2000), 'level=error msg="payment timeout" id=7'],
                      [ns(T0 + 1000), 'level=info msg="started"'],
                    ],
                  },
                ],
              },
            },
          },
    ...extra,
  });
}

// In line order (newest first): the page holds reused rows in slot order and says the line order with aria-owns.
const lines = () => {
  const owns = screen
    .getByRole('list', { name: /^Log lines/ })
    .getAttribute('aria-owns')!
    .split(' ');
  return owns.map((id) => document.getElementById(id)!);
};

describe('the Logs page', () => {
  it('shows the newest lines with level as text, the enforced part, and highlights the line filter', async () => {
    const { calls } = bff();
    await renderApp(`/logs?${new URLSearchParams({ query: '{cluster="staging"} |= "timeout"' })}`);
    await waitFor(() => expect(lines()).toHaveLength(2));
    expect(screen.getByTestId('logs-enforced').textContent).toBe('{cluster=~"staging", namespace=~"client-a-web"}');
    expect(lines()[0]!.textContent).toContain('payment timeout');
    expect(within(lines()[0]!).getByText('error')).toBeTruthy();
    expect(within(lines()[1]!).getByText('info')).toBeTruthy();
    expect(lines()[0]!.querySelector('mark')?.textContent).toBe('timeout');
    expect(lines()[0]!.querySelector('time')?.getAttribute('title')).toBeTruthy();
    const asked = calls.map((c) => c.url).find((u) => u.pathname.endsWith('query_range') && !u.searchParams.has('step'))!;
    expect(asked.searchParams.get('query')).toBe('{cluster="staging"} |= "timeout"');
    expect(asked.searchParams.get('direction')).toBe('backward');
    expect(screen.getByTestId('log-lines')).toBeTruthy();
  });

  it('runs the LogQL box with Ctrl+Enter into the URL', async () => {
    bff();
    const { router } = await renderApp('/logs');
    const box = await screen.findByLabelText('LogQL query');
    fireEvent.change(box, { target: { value: '{cluster="staging"} != "debug"' } });
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(router.state.location.search).toMatchObject({ query: '{cluster="staging"} != "debug"' }));
    expect(screen.getByRole('button', { name: 'Run query' })).toBeTruthy();
  });

  it('opens a line with its labels and the lines around it in its stream', async () => {
    const { calls } = bff();
    await renderApp('/logs?query=%7Bcluster%3D%22staging%22%7D');
    await waitFor(() => expect(lines()).toHaveLength(2));
    fireEvent.click(within(lines()[0]!).getByRole('button'));
    const detail = await screen.findByRole('region', { name: /Line at/ });
    expect(within(detail).getByText('web-1')).toBeTruthy();
    await waitFor(() => expect(within(detail).getByTestId('log-context')).toBeTruthy());
    const context = calls
      .map((c) => c.url)
      .filter((u) => u.searchParams.get('query')?.startsWith('{cluster="staging", namespace="client-a-web", pod="web-1"}'));
    expect(context.map((u) => u.searchParams.get('direction')).sort()).toEqual(['backward', 'forward']);
  });

  it('tails live: new lines on top marked new, paused lines counted, problems shown', async () => {
    bff();
    await renderApp('/logs?query=%7Bcluster%3D%22staging%22%7D&live=1');
    const toggle = await screen.findByRole('button', { name: 'Live tail' });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(FakeEventSource.last?.url).toContain(logsApiPaths.tail));
    const source = FakeEventSource.last!;
    act(() => source.emit('ready', {}));
    const push = (line: string, at: number) =>
      act(async () => {
        source.emit('lines', {
          streams: [{ stream: { cluster: 'staging', namespace: 'client-a-web', pod: 'web-1' }, values: [[ns(at), line]] }],
          dropped: 0,
        });
        await new Promise((r) => setTimeout(r, 150));
      });
    await push('level=warn msg="fresh one"', Date.now());
    await waitFor(() => expect(lines()[0]!.textContent).toContain('fresh one'));
    expect(lines()[0]!.dataset.new).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await push('level=info msg="while paused"', Date.now());
    expect(screen.getByRole('button', { name: /Resume \(1 new\)/ })).toBeTruthy();
    expect(lines()[0]!.textContent).toContain('fresh one');
    fireEvent.click(screen.getByRole('button', { name: /Resume/ }));
    await waitFor(() => expect(lines()[0]!.textContent).toContain('while paused'));

    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(screen.queryAllByTestId('log-line')).toHaveLength(0));
    expect(screen.getByText('Waiting for new lines')).toBeTruthy();

    act(() => source.emit('error', problem(400, 'a live tail takes a log query')));
    expect((await screen.findByRole('alert')).textContent).toContain('a live tail takes a log query');
  });

  it('shows the BFF’s problem when lines cannot be read', async () => {
    bff({ '/api/loki/api/v1/query_range': { status: 502, body: problem(502, 'Loki is not answering') } });
    await renderApp('/logs');
    const alerts = await screen.findAllByRole('alert', {}, { timeout: 15_000 });
    expect(alerts.some((a) => a.textContent.includes('Loki is not answering'))).toBe(true);
  });
});
