import { describe, expect, it } from 'vitest';

import { LogsSearch, logsViewFromSearch, msToNs, openLogsSearch, windowMs } from '../../../src/features/logs/logs-search.ts';

describe('the Logs URL', () => {
  it('keeps a query, a preset and live', () => {
    const s = LogsSearch.parse({ query: '{cluster="a"} |= "x"', range: '15m', live: 1 });
    expect(s).toEqual({ query: '{cluster="a"} |= "x"', range: '15m', live: 1 });
    expect(LogsSearch.parse({ live: '1' }).live).toBe('1');
    expect(logsViewFromSearch(s)).toEqual({ kind: 'preset', range: '15m' });
  });

  it('drops malformed values instead of failing the link', () => {
    const s = LogsSearch.parse({ query: '', range: '3y', from: 'yesterday', to: 7, live: 'yes' });
    expect(s).toEqual({ query: undefined, range: undefined, from: undefined, to: undefined, live: undefined });
    expect(logsViewFromSearch(s)).toEqual({ kind: 'preset', range: '1h' });
  });

  it('uses a valid custom window over the preset', () => {
    const s = LogsSearch.parse({ range: '6h', from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:30:00.000Z' });
    expect(logsViewFromSearch(s)).toEqual({ kind: 'custom', from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:30:00.000Z' });
  });

  it('falls back to the preset for a window Loki would refuse (reversed, or longer than 7 days)', () => {
    expect(logsViewFromSearch({ range: '6h', from: '2026-11-25T10:00:00Z', to: '2026-11-25T09:00:00Z' })).toEqual({
      kind: 'preset',
      range: '6h',
    });
    expect(logsViewFromSearch({ from: '2026-11-01T00:00:00Z', to: '2026-11-09T00:00:00Z' })).toEqual({ kind: 'preset', range: '1h' });
    expect(logsViewFromSearch({ from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' }).kind).toBe('custom');
  });

  it('turns a window into unix times; a preset ends now', () => {
    const now = Date.parse('2026-11-26T00:00:00Z');
    expect(windowMs({ kind: 'preset', range: '1h' }, now)).toEqual({ startMs: now - 3_600_000, endMs: now });
    expect(windowMs({ kind: 'custom', from: '2026-11-25T00:00:00Z', to: '2026-11-25T01:00:00Z' }, now)).toEqual({
      startMs: Date.parse('2026-11-25T00:00:00Z'),
      endMs: Date.parse('2026-11-25T01:00:00Z'),
    });
    expect(msToNs(1_764_115_200_123)).toBe('1764115200123000000');
  });
});

describe('"Open logs" links', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it('select the cluster (and namespace), quoted as LogQL', () => {
    expect(openLogsSearch({ cluster: 'prod-us-east' }, now)).toEqual({ query: '{cluster="prod-us-east"}', range: '1h' });
    expect(openLogsSearch({ cluster: 'a"b', namespace: 'x\\y' }, now).query).toBe('{cluster="a\\"b", namespace="x\\\\y"}');
  });

  it('look at ±15 minutes around the event, never past now', () => {
    expect(openLogsSearch({ cluster: 'c', at: '2026-11-26T10:00:00Z' }, now)).toEqual({
      query: '{cluster="c"}',
      from: '2026-11-26T09:45:00.000Z',
      to: '2026-11-26T10:15:00.000Z',
    });
    const recent = openLogsSearch({ cluster: 'c', at: '2026-11-26T11:59:00Z' }, now);
    expect(recent.to).toBe('2026-11-26T12:00:00.000Z');
    expect(recent.from).toBe('2026-11-26T11:44:00.000Z');
    // The link's window is one the page accepts.
    expect(logsViewFromSearch(LogsSearch.parse(recent)).kind).toBe('custom');
  });

  it('fall back to the last hour when the event has no usable time', () => {
    expect(openLogsSearch({ cluster: 'c', at: 'not a time' }, now)).toEqual({ query: '{cluster="c"}', range: '1h' });
  });
});
