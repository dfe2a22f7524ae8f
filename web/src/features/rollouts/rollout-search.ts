import { z } from 'zod/mini';

/** The rollout page's URL state: which wave's readiness is shown (the waiting wave's when absent). */
export const RolloutSearch = z.object({
  readiness: z.catch(z.optional(z.string().check(z.minLength(1), z.maxLength(63))), undefined),
});
export type RolloutSearch = z.infer<typeof RolloutSearch>;
