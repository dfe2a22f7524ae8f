import { EventEmitter } from 'node:events';

import type { Response } from 'express';
import { describe, expect, it } from 'vitest';

import { parseLiveEvent, type DeliveryEvent, type Scope } from '@fleetdeck/shared';

import { reachOf } from '../../src/access/deliveries/delivery-reach.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { deliveryEventFor } from '../../src/events/delivery-events.ts';
import { DeliveryService } from '../../src/sources/gitops/delivery-service.ts';
import type { DeliverySource, SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';
import type { InventorySource } from '../../src/sources/inventory.ts';
import { A_ADMIN, A_DEV, B_VIEWER, CLUSTERS, PLATFORM, argoApp, fleetTarget, gitRepo } from './delivery-views-fixtures.ts';

/** A source whose deliveries the test replaces, announcing each change. */
class MovingSource implements DeliverySource {
  readonly engines = ['fleet', 'argocd'] as const;
  readonly actions = {};
  readonly #items = new Map<string, SourceDelivery>();
  readonly #listeners = new Set<(ids: readonly string[]) => void>();
  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  list = () => [...this.#items.values()];
  get = (id: string) => this.#items.get(id);
  errors = () => [];
  onChange(l: (ids: readonly string[]) => void) {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
  put(...ds: SourceDelivery[]): void {
    for (const d of ds) this.#items.set(d.id, d);
    for (const l of this.#listeners) l(ds.map((d) => d.id));
  }
  remove(id: string): void {
    this.#items.delete(id);
    for (const l of this.#listeners) l([id]);
  }
}

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
  events(): DeliveryEvent[] {
    return [...this.text.matchAll(/event: delivery\ndata: (.*)\n/g)].map((m) => parseLiveEvent('delivery', m[1]!)!);
  }
}

const inventory = {
  subscribe: () => () => undefined,
  snapshot: () => ({ version: 1, clusters: CLUSTERS }),
} as unknown as InventorySource;

async function setup() {
  const source = new MovingSource();
  const service = new DeliveryService([source]);
  await service.start();
  const hub = new EventHub({ heartbeatMs: 60_000 });
  hub.start(inventory, undefined, undefined, service);
  const connect = (scope: Scope) => {
    const res = new FakeResponse();
    hub.connect(res as unknown as Response, scope, undefined, `s-${Math.random()}`);
    return res;
  };
  return { source, hub, connect };
}

const reach = (scope: Scope) => reachOf(scope, CLUSTERS);

describe('delivery events, per person', () => {
  it('another tenant’s change emits nothing to a client-a admin, and reaches the people who see it', async () => {
    const { source, hub, connect } = await setup();
    const a = connect(A_ADMIN);
    const b = connect(B_VIEWER);
    const p = connect(PLATFORM);
    source.put(argoApp('b-api', 'b-prod', 'client-b-api', 'OutOfSync'));
    source.put(argoApp('b-api', 'b-prod', 'client-b-api', 'Synced'));
    source.remove('argocd:argocd/b-api');
    expect(a.events()).toEqual([]);
    expect(a.text).not.toContain('b-api');
    expect(b.events()).toEqual([1, 2, 3].map(() => ({ ids: ['argocd:argocd/b-api'] })));
    expect(p.events()).toHaveLength(3);
    hub.stop();
  });

  it('a change on a hidden cluster of a shared repo tells nobody who cannot see it', async () => {
    const { source, hub, connect } = await setup();
    const core = (bState: 'Ready' | 'ErrApplied') => gitRepo('core-stack', [fleetTarget('a-prod', 'Ready'), fleetTarget('b-prod', bState)]);
    source.put(core('Ready'));
    const a = connect(A_ADMIN);
    const b = connect(B_VIEWER);
    source.put(core('ErrApplied'));
    expect(a.events()).toEqual([]);
    expect(b.events()).toEqual([{ ids: ['fleet:fleet-default/core-stack'] }]);
    hub.stop();
  });

  it('a delivery someone loses is announced to them (so it disappears), then never again', async () => {
    const { source, hub, connect } = await setup();
    source.put(argoApp('mover', 'a-prod', 'client-a-web'));
    const a = connect(A_ADMIN);
    source.put(argoApp('mover', 'b-prod', 'client-a-web'));
    source.put(argoApp('mover', 'b-prod', 'client-a-web', 'OutOfSync'));
    expect(a.events()).toEqual([{ ids: ['argocd:argocd/mover'] }]);
    hub.stop();
  });

  it('judges before and after by what the person would read', () => {
    const before = argoApp('x', 'a-dev', 'kube-system');
    const after = argoApp('x', 'a-dev', 'client-a-web');
    const change = [{ id: before.id, before, after }];
    // A developer sees client-a-* on dev: it arrives in their namespace.
    expect(deliveryEventFor(reach(A_DEV), change)).toEqual({ ids: [before.id] });
    expect(deliveryEventFor(reach(B_VIEWER), change)).toBeUndefined();
    const same = [{ id: before.id, before, after: { ...before } }];
    expect(deliveryEventFor(reach(A_ADMIN), same)).toBeUndefined();
    expect(deliveryEventFor(reach(A_ADMIN), [{ id: before.id, before, after: undefined }])).toEqual({ ids: [before.id] });
  });
});
