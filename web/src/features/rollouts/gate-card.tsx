import type { Gate } from '@fleetdeck/shared';
import { Hand, Timer } from 'lucide-react';

import { Countdown, formatDuration } from '../../components/countdown.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { GATE_STATE } from './rollout-states.ts';
import { StateLabel } from './state-label.tsx';

/** A gate before or after a wave: an approval (who, when, comment, accepted) or a timed wait (live countdown). */
export function GateCard({ gate, wave }: { gate: Gate; wave: string }) {
  const Icon = gate.kind === 'Approval' ? Hand : Timer;
  const title = `${gate.kind === 'Approval' ? 'Approval' : 'Timed wait'} ${gate.position} ${wave}`;
  return (
    <div
      role="group"
      aria-label={title}
      data-testid="gate"
      className="rounded border border-dashed border-slate-400 px-2 py-1.5 text-xs dark:border-slate-500"
    >
      <p className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
        <Icon aria-hidden className="size-3.5" />
        <span className="font-semibold">{gate.kind === 'Approval' ? 'Approval' : 'Timed wait'}</span>
        <span>{gate.position} the wave</span>
        <StateLabel look={GATE_STATE[gate.state]} />
      </p>
      {gate.kind === 'TimedWait' ? <TimedWait gate={gate} /> : <Approval gate={gate} />}
    </div>
  );
}

function TimedWait({ gate }: { gate: Gate }) {
  return (
    <p className="mt-0.5">
      {gate.waitSeconds !== undefined && <>Wait {formatDuration(gate.waitSeconds * 1000)}</>}
      {gate.state === 'Waiting' && gate.elapsesAt && (
        <>
          {' · '}
          <Countdown until={gate.elapsesAt} doneText="elapsing now" />
        </>
      )}
      {gate.state !== 'Waiting' && gate.waitingSince && (
        <>
          {' · began '}
          <RelativeTime iso={gate.waitingSince} />
        </>
      )}
    </p>
  );
}

function Approval({ gate }: { gate: Gate }) {
  return (
    <div className="mt-0.5 space-y-0.5">
      {gate.state === 'Waiting' && gate.waitingSince && (
        <p>
          Waiting since <RelativeTime iso={gate.waitingSince} />
        </p>
      )}
      {gate.approvedBy && (
        <p>
          Approved by <strong>{gate.approvedBy}</strong>
          {gate.approvedAt && (
            <>
              {' '}
              <RelativeTime iso={gate.approvedAt} />
            </>
          )}
        </p>
      )}
      {gate.comment && <blockquote className="border-l-2 border-slate-400 pl-1.5 italic">“{gate.comment}”</blockquote>}
      {gate.state === 'Approved' && gate.accepted !== undefined && (
        <p>{gate.accepted ? 'Accepted by the controller' : 'Not yet accepted by the controller'}</p>
      )}
      {gate.approvalName && <p className="font-mono text-[11px] opacity-80">{gate.approvalName}</p>}
    </div>
  );
}
