import { useLivePatcher } from '../../api/live/use-live-patcher.ts';
import { rolloutsPatcher } from './rollouts-patcher.ts';

/** Keeps cached rollouts (lists and the open rollout) live while a rollouts page is shown. */
export const useRolloutEvents = () => useLivePatcher(rolloutsPatcher);
