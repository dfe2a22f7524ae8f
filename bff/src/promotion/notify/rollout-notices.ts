import type { RolloutService } from '../../sources/rollouts/rollout-service.ts';
import type { Leadership, Notifier } from '../contracts.ts';
import { detectNotices } from './detect-notices.ts';

/**
 * Turns rollout changes into notices. Started after the rollout sources' first list, so
 * what already existed then is not announced again at every start. Followers skip the
 * work: the notifier would drop their notices anyway (the leader sends from its own watch).
 */
export function startRolloutNotices(deps: { rollouts: RolloutService; notifier: Notifier; leadership: Leadership }): () => void {
  return deps.rollouts.onChange(({ before, after }) => {
    if (!deps.leadership.isLeader()) return;
    for (const notice of detectNotices(before, after)) deps.notifier.publish(notice);
  });
}
