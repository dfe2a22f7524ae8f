// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../src/api/client.ts';
import { Empty, ErrorPanel, Loading } from '../../src/components/states.tsx';

afterEach(cleanup);

describe('ErrorPanel', () => {
  it('is an alert with the title, the detail and the request id of a problem', () => {
    const error = new ApiError(
      502,
      { type: 'about:blank', title: 'Bad gateway', status: 502, detail: 'upstream timed out', requestId: 'r-42' },
      '502',
    );
    render(<ErrorPanel title="The fleet could not be loaded" error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The fleet could not be loaded');
    expect(alert.textContent).toContain('upstream timed out');
    expect(alert.textContent).toContain('Request id: r-42');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows any thrown value and offers a retry when it can', () => {
    const onRetry = vi.fn();
    render(<ErrorPanel title="Failed" error="network down" onRetry={onRetry} />);
    expect(screen.getByRole('alert').textContent).toContain('network down');
    expect(screen.getByRole('alert').textContent).not.toContain('Request id');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});

describe('Loading and Empty', () => {
  it('announces loading politely', () => {
    render(<Loading label="Loading the fleet…" />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('Loading the fleet…');
  });

  it('says what is empty and why', () => {
    render(<Empty title="No clusters to show">None of your roles covers a cluster.</Empty>);
    expect(screen.getByText('No clusters to show')).toBeTruthy();
    expect(screen.getByText('None of your roles covers a cluster.')).toBeTruthy();
  });
});
