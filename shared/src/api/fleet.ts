import { z } from 'zod';

/** GET /api/fleet query. Selectors arrive with the fleet-tree issue; nothing else is accepted now. */
export const FleetQuery = z.strictObject({});
