import { hostname } from 'node:os';

import type { AuditRecord } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../sources/kube/impersonating-client.ts';

/** The Kubernetes object an audited change was made to. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

const ACTIONS: Record<AuditRecord['action'], string> = {
  'sign-in': 'SignIn',
  'sign-out': 'SignOut',
  approve: 'Approve',
  reject: 'Reject',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort',
  rollback: 'Rollback',
  unpin: 'Unpin',
  denied: 'Denied',
  'force-update': 'ForceUpdate',
  sync: 'Sync',
  refresh: 'Refresh',
  'bulk-sync': 'BulkSync',
};

// events.k8s.io wants a MicroTime: RFC 3339 with exactly six fractional digits.
const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Writes an audited change as a Kubernetes Event on the object itself, so
 * `kubectl describe` and anything watching events shows who did what through
 * Fleetdeck. The BFF's own identity writes the event; the person is named in it.
 */
export class KubeEventRecorder {
  readonly #client: ImpersonatingClient;
  readonly #instance = hostname();

  constructor(client: ImpersonatingClient) {
    this.#client = client;
  }

  async record(object: ObjectRef, entry: Omit<AuditRecord, 'at'>, now = new Date()): Promise<void> {
    const namespace = object.namespace ?? 'default';
    const note =
      `${entry.actor} ${entry.action} ${entry.result}${entry.detail ? `: ${entry.detail}` : ''} (request ${entry.requestId})`.slice(
        0,
        1024,
      );
    const res = await this.#client.requestAsSelf('POST', `/apis/events.k8s.io/v1/namespaces/${namespace}/events`, {
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { generateName: `${object.name}.fleetdeck-`, namespace },
        eventTime: microTime(now),
        reportingController: 'fleetdeck.dev/bff',
        reportingInstance: this.#instance,
        action: ACTIONS[entry.action],
        reason: `${ACTIONS[entry.action]}${entry.result === 'success' ? '' : entry.result === 'no-op' ? 'NoOp' : 'Failed'}`,
        note,
        type: entry.result === 'success' || entry.result === 'no-op' ? 'Normal' : 'Warning',
        regarding: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.name,
          ...(object.namespace && { namespace: object.namespace }),
          ...(object.uid && { uid: object.uid }),
        },
      },
    });
    if (res.status !== 201)
      throw new Error(
        `recording an event on ${object.kind} ${object.name} failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`,
      );
  }
}
