// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { tryParseSelector } from '../../../src/features/fleet/select.ts';
import { SelectorBox } from '../../../src/features/fleet/selector-box.tsx';

afterEach(cleanup);

/** The box as the page uses it: the draft in state, parsed on every keystroke. */
function Controlled({ initial = '', onChange }: { initial?: string; onChange?: (text: string) => void }) {
  const [draft, setDraft] = useState(initial);
  return (
    <SelectorBox
      draft={draft}
      parsed={tryParseSelector(draft)}
      onChange={(text) => {
        setDraft(text);
        onChange?.(text);
      }}
    />
  );
}

const input = () => screen.getByRole<HTMLInputElement>('searchbox', { name: 'Cluster selector' });

describe('SelectorBox', () => {
  it('is a labelled search box with the syntax help and no clear button when empty', () => {
    render(<Controlled />);
    expect(input().value).toBe('');
    expect(input().getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByText(/commas mean AND/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clear selector' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reports every keystroke', () => {
    const onChange = vi.fn();
    render(<Controlled onChange={onChange} />);
    fireEvent.change(input(), { target: { value: 'env=production' } });
    expect(onChange).toHaveBeenCalledWith('env=production');
    expect(input().value).toBe('env=production');
  });

  it('shows a bad selector as an alert with the offending character marked', () => {
    render(<Controlled initial="env=prod,,x" />);
    expect(input().getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('empty term');
    expect(alert.querySelector('code')?.textContent).toBe('env=prod,');
    expect(alert.querySelector('mark')?.textContent).toBe(',');
  });

  it('marks the end of an unfinished selector with a visible space', () => {
    render(<Controlled initial="env=prod, !" />);
    expect(screen.getByRole('alert').querySelector('mark')?.textContent).toBe('␣');
  });

  it('clears with one button, back to the help', () => {
    const onChange = vi.fn();
    render(<Controlled initial="env=prod,,x" onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear selector' }));
    expect(onChange).toHaveBeenCalledWith('');
    expect(input().value).toBe('');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
