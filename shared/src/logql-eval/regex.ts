import { RE2JS } from 're2js';

import { LogQLError } from './errors.ts';

/**
 * Regexes from query text run on RE2 (re2js): linear time whatever the pattern, and
 * RE2's syntax, as Loki's Go regexp has (`\x{…}`, `(?i)`, no backreferences).
 */
function compile(pattern: string, anchoredPattern: string): RE2JS {
  try {
    return RE2JS.compile(anchoredPattern);
  } catch (err) {
    throw new LogQLError(`bad regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** Label matchers are fully anchored, as in Loki and Prometheus. */
export function fullMatcher(pattern: string): (value: string) => boolean {
  const re = compile(pattern, `^(?:${pattern})$`);
  return (value) => re.matches(value);
}

/** Line filters match anywhere in the line. */
export function containsMatcher(pattern: string): (value: string) => boolean {
  const re = compile(pattern, pattern);
  return (value) => re.test(value);
}
