import type { DeliveryStatus } from '@fleetdeck/shared';

import { TONE } from './tone-look.ts';

/** A delivery's (or one cluster's) state in the engine's own words, with its tone's icon and colour. */
export function DeliveryStatusLabel({ status }: { status: DeliveryStatus }) {
  const { icon: Icon, text } = TONE[status.tone];
  return (
    <span className={`inline-flex items-center gap-1 font-medium ${text}`} data-testid="delivery-status" data-tone={status.tone}>
      <Icon aria-hidden className="size-4 shrink-0" />
      {status.label}
    </span>
  );
}
