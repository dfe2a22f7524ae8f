import { describe, expect, it } from 'vitest';

import { detectLevel, normaliseLevel } from '../../../src/features/logs/log-level.ts';

describe('level detection', () => {
  it('prefers the stream labels', () => {
    expect(detectLevel('INFO all fine', { level: 'error' })).toBe('error');
    expect(detectLevel('x', { detected_level: 'WARNING' })).toBe('warn');
    expect(detectLevel('x', { severity: 'debug' })).toBe('debug');
  });

  it('reads logfmt and JSON keys', () => {
    expect(detectLevel('ts=1 level=warn msg="slow"', {})).toBe('warn');
    expect(detectLevel('ts=1 level="error" msg="boom"', {})).toBe('error');
    expect(detectLevel('lvl=dbg msg=x', {})).toBe('debug');
    expect(detectLevel('{"ts":1,"level":"info","msg":"x"}', {})).toBe('info');
    expect(detectLevel('{"severity": "CRITICAL"}', {})).toBe('error');
  });

  it('does not take a key that merely ends in "level"', () => {
    expect(detectLevel('loglevel=debug msg=x', {})).toBe('unknown');
  });

  it('finds bare upper-case level words, as whole words only', () => {
    expect(detectLevel('2026-11-26 12:00:00 ERROR failed to connect', {})).toBe('error');
    expect(detectLevel('[WARN] disk at 91%', {})).toBe('warn');
    expect(detectLevel('INFORMATIONAL text without a level', {})).toBe('unknown');
    expect(detectLevel('an error in lower case is prose, not a level', {})).toBe('unknown');
  });

  it('reads only the start of a long line', () => {
    expect(detectLevel(`${'x'.repeat(1000)} ERROR`, {})).toBe('unknown');
  });

  it('normalises aliases and rejects other words', () => {
    expect(normaliseLevel('Fatal')).toBe('error');
    expect(normaliseLevel('notice')).toBe('info');
    expect(normaliseLevel('verbose')).toBeUndefined();
    expect(normaliseLevel(undefined)).toBeUndefined();
  });
});
