import { describe, expect, it } from 'vitest';

import { TurnBatch, type Settles } from '../../src/lib/turn-batch.ts';

interface Ask extends Settles<string> {
  name: string;
}

/** A batch that writes down every flush (key and the names it held) and answers each ask with its batch. */
function recorder(fail?: (key: string) => Error | 'throw' | undefined) {
  const flushes: string[] = [];
  const batch = new TurnBatch<string, Ask>((key, asks) => {
    const failure = fail?.(key);
    if (failure === 'throw') throw new Error(`${key} threw`);
    flushes.push(`${key}: ${asks.map((a) => a.name).join(' ')}`);
    if (failure) return Promise.reject(failure);
    asks.forEach((a) => a.resolve(`${a.name} in ${flushes.length}`));
    return Promise.resolve();
  });
  const ask = (key: string, name: string) => new Promise<string>((resolve, reject) => batch.add(key, { name, resolve, reject }));
  return { flushes, ask };
}

describe('TurnBatch', () => {
  it('hands over what one turn asked under one key as one batch, each key its own', async () => {
    const { flushes, ask } = recorder();
    const answers = await Promise.all([ask('6h', 'cpu'), ask('1h', 'cpu'), ask('6h', 'memory'), ask('6h', 'pods')]);
    expect(flushes).toEqual(['6h: cpu memory pods', '1h: cpu']);
    expect(answers).toEqual(['cpu in 1', 'cpu in 2', 'memory in 1', 'pods in 1']);
  });

  it('still gathers asks made in promise jobs of the same turn (after an await)', async () => {
    const { flushes, ask } = recorder();
    const later = Promise.resolve().then(() => ask('6h', 'memory'));
    await Promise.all([ask('6h', 'cpu'), later]);
    expect(flushes).toEqual(['6h: cpu memory']);
  });

  it('starts a new batch for an ask of a later turn', async () => {
    const { flushes, ask } = recorder();
    await ask('6h', 'cpu');
    await ask('6h', 'cpu');
    expect(flushes).toEqual(['6h: cpu', '6h: cpu']);
  });

  it('fails every held ask when the flush rejects or throws, and leaves other keys alone', async () => {
    const { ask } = recorder((key) => (key === 'bad' ? new Error('upstream gone') : key === 'worse' ? 'throw' : undefined));
    const results = await Promise.allSettled([ask('bad', 'a'), ask('bad', 'b'), ask('worse', 'c'), ask('good', 'd')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'upstream gone',
      'upstream gone',
      'worse threw',
      'd in 2',
    ]);
  });
});
