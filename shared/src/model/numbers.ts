import { z } from 'zod/mini';

// The shared schemas use zod's functional API (`zod/mini`): the web's bundle then holds
// only the validators it uses, not the whole of zod, and validation is the same as with
// the chained API. These two stand for `z.number().int()` and `.int().nonnegative()`.

/** A whole number. */
export const int = () => z.number().check(z.int());
/** A whole number ≥ 0. */
export const count = () => z.number().check(z.int(), z.nonnegative());
