import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import type { Leadership } from './contracts.ts';
import { decideLease, leaseToWrite, releasedLease, type LeaseObject } from './lease-decision.ts';

export interface LeadershipDeps {
  config: Config;
  logger: Logger;
  /** The hub, as the BFF's own identity; absent in demo mode (the one process leads). */
  hubClient?: ImpersonatingClient;
  /** Holder identity; default POD_NAME, else host name + pid. */
  identity?: string;
  now?: () => Date;
}

/** POD_NAME (the Downward API), else host, pid and a random tail: two processes never share one. */
export function defaultIdentity(): string {
  const pod = process.env.POD_NAME?.trim();
  return pod || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * One replica acts on rules: the holder of a Lease on the hub (config.promotion.lease),
 * written with the BFF's own identity. It tries every duration/3, renews while it holds the
 * Lease, and stops counting itself leader once it could not renew for 2/3 of the duration —
 * before any other replica may take the Lease over. Every write carries the resourceVersion
 * it read, so of two replicas racing for a free Lease one gets a 409 and stays follower.
 */
export function createLeadership(deps: LeadershipDeps): Leadership {
  const identity = deps.identity ?? defaultIdentity();
  const listeners = new Set<(leader: boolean) => void>();
  const now = deps.now ?? (() => new Date());
  const { namespace, name, durationSeconds } = deps.config.promotion.lease;
  const client = deps.hubClient;
  const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(name)}`;
  const retryMs = (durationSeconds * 1000) / 3;
  const renewDeadlineMs = (durationSeconds * 2000) / 3;
  let leader = false;
  let lastRenewed = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking: Promise<void> = Promise.resolve();
  let warned = false;

  const setLeader = (value: boolean) => {
    if (value === leader) return;
    leader = value;
    deps.logger.info({ identity, lease: `${namespace}/${name}` }, value ? 'became the leader' : 'no longer the leader');
    for (const l of listeners) {
      try {
        l(value);
      } catch (err) {
        deps.logger.warn({ err }, 'leadership listener failed');
      }
    }
  };

  const warnOnce = (status: number, what: string) => {
    if (warned) return;
    warned = true;
    deps.logger.warn(
      { status, lease: `${namespace}/${name}` },
      `${what} the leader Lease failed: no replica acts on rules until it can (does the namespace exist, may the BFF get/create/update leases there?)`,
    );
  };

  async function tryOnce(hub: ImpersonatingClient): Promise<void> {
    const at = now();
    const read = await hub.requestAsSelf<LeaseObject>('GET', path);
    if (read.status !== 200 && read.status !== 404) return warnOnce(read.status, 'reading');
    const current = read.status === 200 ? read.body : undefined;
    const decision = decideLease(current, at, identity);
    if (decision.kind === 'wait') {
      setLeader(false);
      return;
    }
    const body = leaseToWrite(decision, current, { namespace, name }, identity, durationSeconds, at);
    const res =
      decision.kind === 'create'
        ? await hub.requestAsSelf('POST', path.slice(0, path.lastIndexOf('/')), { body })
        : await hub.requestAsSelf('PUT', path, { body });
    if (res.status === 200 || res.status === 201) {
      warned = false;
      lastRenewed = at.getTime();
      setLeader(true);
      return;
    }
    // 409: another replica wrote it first (a lost race, not an error).
    if (res.status === 409) setLeader(false);
    else warnOnce(res.status, 'writing');
  }

  async function tick(): Promise<void> {
    if (!client) return;
    try {
      await tryOnce(client);
    } catch (err) {
      deps.logger.debug({ err }, 'the leader Lease could not be read or written');
    }
    // Stop acting before another replica may take over the Lease we could not renew.
    if (leader && now().getTime() - lastRenewed > renewDeadlineMs) setLeader(false);
  }

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      ticking = tick().finally(schedule);
    }, retryMs);
    timer.unref();
  };

  return {
    identity,
    isLeader: () => leader,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (running) return;
      running = true;
      if (!client) {
        setLeader(true);
        return;
      }
      ticking = tick();
      await ticking;
      schedule();
    },
    async stop() {
      if (!running) return;
      running = false;
      clearTimeout(timer);
      await ticking;
      if (!client || !leader) {
        setLeader(false);
        return;
      }
      setLeader(false);
      try {
        const read = await client.requestAsSelf<LeaseObject>('GET', path);
        if (read.status === 200 && read.body.spec?.holderIdentity === identity)
          await client.requestAsSelf('PUT', path, { body: releasedLease(read.body, now()) });
      } catch (err) {
        deps.logger.debug({ err }, 'the leader Lease could not be released; it expires by itself');
      }
    },
  };
}
