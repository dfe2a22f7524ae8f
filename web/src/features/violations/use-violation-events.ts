import { useLivePatcher } from '../../api/live/use-live-patcher.ts';
import { violationsPatcher } from './violations-patcher.ts';

/** Keeps cached violations (page and cluster section) live while one is shown. */
export const useViolationEvents = () => useLivePatcher(violationsPatcher);
