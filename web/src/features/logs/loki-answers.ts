import { z } from 'zod/mini';

import { LogsStream } from '@fleetdeck/shared';

/**
 * Loki's answer envelopes as the BFF's Loki-compatible routes pass them on, for the
 * answers the page reads. `shared/` types these envelopes (`LokiQueryData`); the page
 * checks them at run time here, from the shared stream schema.
 */
export const LokiStreamsAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('streams'), result: z.array(LogsStream) }),
});

const SampleValue = z.tuple([z.number(), z.string()]);
export const LokiMatrixAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(SampleValue) })),
  }),
});
export type LokiMatrixAnswer = z.infer<typeof LokiMatrixAnswer>;

export const LokiValuesAnswer = z.object({ status: z.literal('success'), data: z.array(z.string()) });
