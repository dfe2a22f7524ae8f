import { describe, expect, it } from 'vitest';

import { LIVE_TOPICS, liveEvents, parseLiveEvent } from '../src/index.ts';
import { demoClusters } from '../src/fixtures/brief-fleet.ts';

const cluster = demoClusters(new Date('2026-11-24T10:00:00Z'))[0]!;

describe('live events', () => {
  it('parses each event by its name', () => {
    expect(parseLiveEvent('cluster', JSON.stringify({ type: 'MODIFIED', cluster }))).toEqual({ type: 'MODIFIED', cluster });
    expect(parseLiveEvent('cluster', JSON.stringify({ type: 'DELETED', name: 'x' }))).toEqual({ type: 'DELETED', name: 'x' });
    expect(parseLiveEvent('ready', '{}')).toEqual({});
    expect(parseLiveEvent('resync', '{}')).toEqual({});
  });

  it('gives undefined for bad JSON or a payload that does not match', () => {
    expect(parseLiveEvent('cluster', 'not json')).toBeUndefined();
    expect(parseLiveEvent('cluster', JSON.stringify({ type: 'RENAMED', name: 'x' }))).toBeUndefined();
    expect(parseLiveEvent('cluster', JSON.stringify({ type: 'ADDED', name: 'x' }))).toBeUndefined();
  });

  it('lists every topic with a schema', () => {
    for (const topic of LIVE_TOPICS) expect(liveEvents[topic]).toBeDefined();
  });
});
