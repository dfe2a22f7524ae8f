import type { RolloutService } from '../../sources/rollouts/rollout-service.ts';
import type { Leadership, Notifier } from '../contracts.ts';

// PLACEHOLDER (replaced by the notifications module): turns rollout changes into notices.
export function startRolloutNotices(_deps: { rollouts: RolloutService; notifier: Notifier; leadership: Leadership }): () => void {
  return () => undefined;
}
