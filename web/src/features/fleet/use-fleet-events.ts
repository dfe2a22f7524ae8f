import { useLivePatcher } from '../../api/live/use-live-patcher.ts';
import { fleetPatcher } from './fleet-patcher.ts';

/** Keeps the cached fleet tree live while the Fleet page is shown. */
export const useFleetEvents = () => useLivePatcher(fleetPatcher);
