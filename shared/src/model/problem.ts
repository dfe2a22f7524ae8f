import { z } from 'zod';

/** RFC 9457 problem details, as every BFF error is sent. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  /** Field-level validation errors: where (a dotted path) and what. */
  errors: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })).optional(),
});
export type Problem = z.infer<typeof Problem>;
