// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../src/api/client.ts';
import { QuerySection, type QuerySectionProps } from '../../src/components/query-section.tsx';

interface Answer {
  items: string[];
  errors: { reason: string }[];
}

afterEach(cleanup);

function Harness({
  queryFn,
  ...props
}: { queryFn: () => Promise<Answer> } & Partial<Omit<QuerySectionProps<Answer>, 'query' | 'children'>>) {
  const query = useQuery({ queryKey: ['section'], queryFn, retry: false });
  return (
    <QuerySection id="things" title="Things" query={query} {...props}>
      {(data) => (
        <ul aria-label="Things">
          {data.items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </QuerySection>
  );
}

function renderSection(props: Parameters<typeof Harness>[0]) {
  const client = new QueryClient();
  return render(
    <QueryClientProvider client={client}>
      <Harness {...props} />
    </QueryClientProvider>,
  );
}

const problem = (status: number, detail: string) =>
  new ApiError(status, { type: 'about:blank', title: 'x', status, detail, requestId: 'req-1' }, `${status}`);

describe('QuerySection', () => {
  it('is a region named by its heading, loading first', () => {
    renderSection({ queryFn: () => new Promise<Answer>(() => undefined), loadingLabel: 'Asking the cluster…' });
    expect(screen.getByRole('region', { name: 'Things' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Asking the cluster…');
  });

  it('shows the data once it comes', async () => {
    renderSection({ queryFn: () => Promise.resolve({ items: ['a', 'b'], errors: [] }) });
    expect((await screen.findByRole('list', { name: 'Things' })).textContent).toBe('ab');
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the answer is empty', async () => {
    renderSection({
      queryFn: () => Promise.resolve({ items: [], errors: [] }),
      empty: { when: (d) => d.items.length === 0, text: 'Nothing you may see.' },
    });
    expect(await screen.findByText('Nothing you may see.')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('shows a 404 as a plain note, not as a failure', async () => {
    renderSection({ queryFn: () => Promise.reject(problem(404, 'no connection to this cluster')) });
    expect(await screen.findByText('no connection to this cluster')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a 502 as an error with a retry that refetches', async () => {
    const queryFn = vi
      .fn<() => Promise<Answer>>()
      .mockRejectedValueOnce(problem(502, 'the cluster did not answer'))
      .mockResolvedValueOnce({ items: ['back'], errors: [] });
    renderSection({ queryFn, errorTitle: 'This cluster is not answering' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This cluster is not answering');
    expect(alert.textContent).toContain('the cluster did not answer');
    expect(alert.textContent).toContain('req-1');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByRole('list', { name: 'Things' })).textContent).toBe('back');
    expect(queryFn).toHaveBeenCalledTimes(2);
  });

  it('shows a 404 as an error where 404 is one', async () => {
    renderSection({ queryFn: () => Promise.reject(problem(404, 'gone')), notFoundIsNote: false, errorTitle: 'Could not load' });
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load');
  });

  it('names the sources of a partial answer under its data', async () => {
    renderSection({
      queryFn: () => Promise.resolve({ items: ['a'], errors: [{ reason: 'kyverno: forbidden' }, { reason: 'gatekeeper: timeout' }] }),
      partialErrors: (d) => d.errors,
    });
    expect(await screen.findByText('Partly unavailable: kyverno: forbidden; gatekeeper: timeout')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Things' }).textContent).toBe('a');
  });

  it('shows the heading actions', () => {
    renderSection({ queryFn: () => new Promise<Answer>(() => undefined), actions: <button type="button">6h</button> });
    expect(screen.getByRole('button', { name: '6h' })).toBeTruthy();
  });
});
