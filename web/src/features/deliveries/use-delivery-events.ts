import { useLivePatcher } from '../../api/live/use-live-patcher.ts';
import { deliveriesPatcher } from './deliveries-patcher.ts';

/** Keeps cached deliveries (list, detail, cluster section) live while one is shown. */
export const useDeliveryEvents = () => useLivePatcher(deliveriesPatcher);
