import { z } from 'zod/mini';

import { int } from './numbers.ts';

/** RFC 9457 problem details, as every BFF error is sent. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: int(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  requestId: z.optional(z.string()),
  /** Field-level validation errors: where (a dotted path) and what. */
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string(), position: z.optional(int()) }))),
});
export type Problem = z.infer<typeof Problem>;
