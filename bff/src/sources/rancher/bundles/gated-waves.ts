import type { Gate, RecordedApproval, Wave } from '@fleetdeck/shared';

import { upToDate } from './cluster-state.ts';
import type { BundleApprovals, Gating } from './gating-annotations.ts';
import type { ClusterEntry } from './waves.ts';

/**
 * Gated waves of one Fleet bundle, pure: which waves are released (the first always; a
 * later one by its recorded final approval, or by soak time after the previous wave became
 * healthy), the gates to show, and what this bundle asks of each Fleet Cluster it is on.
 */

export const HELD_NOTE = 'A paused cluster holds every bundle on it and stops its drift correction';
export const SOAK_ACTOR = 'fleetdeck (soak time)';

/**
 * What a bundle asks of one Fleet Cluster (by `<namespace>/<name>`):
 * `gate` — hold it: its wave is not released and a version waits there;
 * `standby` — hold it for the next version (its wave is done): yields to any bundle that `needs` it;
 * `needs` — a released version waits to be applied there.
 */
export type Claim = 'gate' | 'standby' | 'needs';

export interface GatingInput {
  bundleKey: string;
  gating: Gating;
  /** Approvals recorded for the version now staged (see currentApprovals). */
  record: BundleApprovals;
  /** The commit Fleet renders (BundleDeployments carry it when released); undefined without a GitRepo. */
  commit?: string;
  waves: readonly Wave[];
  /** The members of each wave, same order. */
  members: readonly (readonly ClusterEntry[])[];
  /** The other bundles (`<namespace>/<name>`) with a deployment on a Fleet Cluster. */
  bundlesOn: (fleetKey: string) => readonly string[];
  now: Date;
}

export interface GatingResult {
  waves: Wave[];
  /** The first wave waiting to be released, when the waves before it are done. */
  awaiting?: string;
  claims: Map<string, Claim>;
  /** Per Fleet Cluster, its wave when that wave was released by soak time only (the leader audits the release on behalf of the rule). */
  soakReleased: Map<string, string>;
  /** The earliest countdown still running: the source re-evaluates then. */
  nextAt?: Date;
  recordedApprovals: Record<string, RecordedApproval[]>;
}

const done = (e: ClusterEntry, commit: string | undefined) =>
  e.status.state === 'Succeeded' && (commit === undefined || e.bd.commit === commit);

/** When every cluster of the wave became healthy at this version, or undefined while one is not. */
function healthySince(members: readonly ClusterEntry[], commit: string | undefined): Date | undefined {
  if (members.length === 0 || !members.every((e) => done(e, commit) && e.bd.healthySince)) return undefined;
  return new Date(Math.max(...members.map((e) => Date.parse(e.bd.healthySince!))));
}

/** What a bundle that is not gated asks: only `needs` where a version waits to be applied. */
export function ungatedClaims(entries: readonly ClusterEntry[]): Map<string, Claim> {
  const claims = new Map<string, Claim>();
  for (const e of entries) if (e.fleetKey && !e.bd.error && !upToDate(e.bd)) claims.set(e.fleetKey, 'needs');
  return claims;
}

export function gateWaves(input: GatingInput): GatingResult {
  const { gating, record, commit, now } = input;
  const claims = new Map<string, Claim>();
  const soakReleased = new Map<string, string>();
  const recordedApprovals: Record<string, RecordedApproval[]> = {};
  let nextAt: Date | undefined;
  let awaiting: string | undefined;
  let prevReleased = true;
  let allBeforeDone = true;
  const waves = input.waves.map((wave, i): Wave => {
    const members = input.members[i] ?? [];
    const prevSince = i > 0 ? healthySince(input.members[i - 1] ?? [], commit) : undefined;
    const rec = record.waves[wave.name];
    if (rec && rec.approvals.length > 0) recordedApprovals[wave.name] = [...rec.approvals];
    let released = i === 0;
    const gates: Gate[] = [];
    if (i > 0) {
      const approved = rec?.releasedAt !== undefined;
      let timed: Gate | undefined;
      let soakDone = false;
      if (gating.soakSeconds !== undefined) {
        timed = { kind: 'TimedWait', position: 'before', state: 'NotStarted', waitSeconds: gating.soakSeconds };
        if (prevReleased && prevSince && !approved) {
          const elapsesAt = new Date(prevSince.getTime() + gating.soakSeconds * 1000);
          soakDone = now >= elapsesAt;
          timed = {
            ...timed,
            state: soakDone ? 'Elapsed' : 'Waiting',
            waitingSince: prevSince.toISOString(),
            elapsesAt: elapsesAt.toISOString(),
          };
          if (!soakDone && (!nextAt || elapsesAt < nextAt)) nextAt = elapsesAt;
        }
      }
      released = approved || soakDone;
      const last = rec?.approvals.at(-1);
      const approval: Gate = approved
        ? {
            kind: 'Approval',
            position: 'before',
            state: 'Approved',
            accepted: true,
            approvedAt: rec.releasedAt,
            approvedBy: rec.releasedBy ?? last?.user ?? 'unknown',
            ...(last?.comment && { comment: last.comment }),
          }
        : soakDone
          ? {
              kind: 'Approval',
              position: 'before',
              state: 'Approved',
              accepted: true,
              approvedBy: SOAK_ACTOR,
              approvedAt: timed!.elapsesAt!,
            }
          : {
              kind: 'Approval',
              position: 'before',
              state: prevReleased ? 'Waiting' : 'NotStarted',
              ...(prevReleased && prevSince && { waitingSince: prevSince.toISOString() }),
            };
      gates.push(approval);
      if (timed) gates.push(timed);
      if (soakDone && !approved) for (const e of members) if (e.fleetKey) soakReleased.set(e.fleetKey, wave.name);
    }
    for (const e of members) {
      if (!e.fleetKey) continue;
      if (i > 0 && done(e, commit)) claims.set(e.fleetKey, 'standby');
      else if (!released && i > 0) claims.set(e.fleetKey, 'gate');
      else if (!e.bd.error && !upToDate(e.bd)) claims.set(e.fleetKey, 'needs');
    }
    const heldMembers = members.filter((e) => e.fleetKey && (claims.get(e.fleetKey) === 'gate' || claims.get(e.fleetKey) === 'standby'));
    const others = new Set(heldMembers.flatMap((e) => input.bundlesOn(e.fleetKey!)));
    others.delete(input.bundleKey);
    const allDone = members.every((e) => done(e, commit));
    let next: Wave = { ...wave, gates };
    if (heldMembers.length > 0) {
      next.held = { clusters: heldMembers.length, otherBundles: [...others].map((k) => k.split('/').at(-1)!).sort(), note: HELD_NOTE };
    }
    if (i > 0 && !released && !allDone && wave.state !== 'Failed') {
      const frontier = prevReleased;
      if (frontier && allBeforeDone && awaiting === undefined) awaiting = wave.name;
      const soakNote = gating.soakSeconds !== undefined ? ' or its soak time elapses' : '';
      next = {
        ...next,
        state: frontier ? 'AwaitingApproval' : 'Held',
        message: frontier
          ? `Held by Fleetdeck (Fleet Cluster paused) until this wave is approved${soakNote}`
          : 'Held by Fleetdeck (Fleet Cluster paused): an earlier wave is not released yet',
      };
    }
    prevReleased = released;
    allBeforeDone &&= allDone;
    return next;
  });
  return {
    waves,
    ...(awaiting !== undefined && { awaiting }),
    claims,
    soakReleased,
    ...(nextAt && { nextAt }),
    recordedApprovals,
  };
}
