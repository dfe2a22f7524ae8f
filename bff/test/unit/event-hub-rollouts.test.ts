import { EventEmitter } from 'node:events';

import type { Response } from 'express';
import { describe, expect, it } from 'vitest';

import { parseLiveEvent, type RolloutEvent } from '@fleetdeck/shared';

import { EventHub } from '../../src/events/event-hub.ts';
import type { InventorySource } from '../../src/sources/inventory.ts';
import { RolloutService } from '../../src/sources/rollouts/rollout-service.ts';
import { CTX, FakeRolloutSource, NOT_FOR_CLIENT_A, PERSONAS, makeRollout, viewerOf } from '../helpers/rollout-fixtures.ts';

/** Just enough of an Express response for the hub: it collects what is written. */
class FakeResponse extends EventEmitter {
  text = '';
  writableEnded = false;
  writableLength = 0;
  status() {
    return this;
  }
  setHeader() {}
  flushHeaders() {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  frames(): Record<string, string>[] {
    return this.text
      .split('\n\n')
      .map((block) => {
        const frame: Record<string, string> = {};
        for (const line of block.split('\n')) {
          const m = /^(id|event|data): (.*)$/.exec(line);
          if (m) frame[m[1]!] = m[2]!;
        }
        return frame;
      })
      .filter((f) => f.event);
  }
  rolloutEvents(): RolloutEvent[] {
    return this.frames()
      .filter((f) => f.event === 'rollout')
      .map((f) => parseLiveEvent('rollout', f.data!)!);
  }
}

const brief = (e: RolloutEvent) => (e.type === 'upsert' ? ['upsert', e.rollout.id, e.rollout.redacted] : ['delete', e.id]);

const noInventory = { subscribe: () => () => undefined } as unknown as InventorySource;

async function setup() {
  const source = new FakeRolloutSource(['kubefleet', 'kubefleet-namespaced']);
  const service = new RolloutService([source]);
  await service.start();
  const hub = new EventHub({ heartbeatMs: 60_000 });
  hub.start(noInventory, { onChange: (l) => service.onChange(l), context: () => CTX });
  const connect = (persona: keyof typeof PERSONAS, lastEventId?: string) => {
    const res = new FakeResponse();
    const v = viewerOf(PERSONAS[persona]);
    hub.connect(res as unknown as Response, v.scope, lastEventId, `session-${persona}-${Math.random()}`, v.user);
    return res;
  };
  return { source, hub, connect };
}

const onlyA = makeRollout({ name: 'web', waves: [{ name: 'p', clusters: ['prod-us-east'], waiting: true }] });
const onlyB = makeRollout({ name: 'shop', namespace: 'fleet-client-b', waves: [{ name: 'd', clusters: ['client-b-dev'] }] });
const cross = makeRollout({
  name: 'cve',
  waves: [{ name: 'p', clusters: ['prod-us-east', 'prod-eu-west'], message: 'prod-eu-west is slow' }],
});

describe('the rollout topic of the event hub', () => {
  it('sends each person their own summary, and nothing about rollouts they cannot see', async () => {
    const { source, hub, connect } = await setup();
    const a = connect('clientAAdmin');
    const b = connect('clientBViewer');
    const admin = connect('platformAdmin');
    source.put(onlyA);
    source.put(onlyB);
    source.put(cross);
    expect(a.rolloutEvents().map(brief)).toEqual([
      ['upsert', onlyA.id, false],
      ['upsert', cross.id, true],
    ]);
    const [mine, shared] = a.rolloutEvents().map((e) => (e.type === 'upsert' ? e.rollout : undefined));
    expect(mine?.awaitingApproval).toEqual({ wave: 'p', position: 'before', canApprove: true });
    expect(shared?.hiddenClusters).toBe(1);
    expect(b.rolloutEvents().map((e) => e.type === 'upsert' && [e.rollout.name, e.rollout.redacted])).toEqual([
      ['shop', false],
      ['cve', true],
    ]);
    expect(admin.rolloutEvents()).toHaveLength(3);
    for (const word of NOT_FOR_CLIENT_A) expect(a.text).not.toContain(word);
    hub.stop();
  });

  it('sends delete to people who saw it before, and never a delete to anyone who never saw it', async () => {
    const { source, hub, connect } = await setup();
    source.put(onlyB);
    source.put(onlyA);
    const a = connect('clientAAdmin');
    const b = connect('clientBViewer');
    source.remove(onlyB.id);
    // A client-a run grows into client-b: client-b's viewer sees it appear (redacted), client-a's admin gets it redacted.
    source.put(makeRollout({ name: 'web', waves: [{ name: 'p', clusters: ['prod-us-east', 'client-b-dev'] }] }));
    // …and moves wholly into client-b: it is gone for client-a's admin.
    source.put(makeRollout({ name: 'web', waves: [{ name: 'p', clusters: ['client-b-dev'] }] }));
    expect(a.rolloutEvents().map(brief)).toEqual([
      ['upsert', onlyA.id, true],
      ['delete', onlyA.id],
    ]);
    expect(b.rolloutEvents().map(brief)).toEqual([
      ['delete', onlyB.id],
      ['upsert', onlyA.id, true],
      ['upsert', onlyA.id, false],
    ]);
    hub.stop();
  });

  it('replays missed rollout events on resume with Last-Event-ID, judged for the resuming person', async () => {
    const { source, hub, connect } = await setup();
    const first = connect('clientAAdmin');
    const ready = first.frames().find((f) => f.event === 'ready')!;
    first.end();
    source.put(onlyB);
    source.put(onlyA);
    source.remove(onlyA.id);
    const resumed = connect('clientAAdmin', ready.id);
    expect(resumed.rolloutEvents().map(brief)).toEqual([
      ['upsert', onlyA.id, false],
      ['delete', onlyA.id],
    ]);
    expect(resumed.frames().filter((f) => f.event === 'resync')).toEqual([]);
    hub.stop();
  });
});
