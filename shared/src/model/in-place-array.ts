import { z } from 'zod/mini';

/**
 * An array whose elements are checked where they lie, for answers of thousands of plain
 * records (a health panel set: 9,000 table rows, band points, samples).
 *
 * Zod 4 compiles an object check with `new Function` where it may; under our CSP
 * (`script-src 'self'`) it may not, and its interpreted path allocates a result and an issue
 * list per property and per element, then copies every record. In Chromium that was a third
 * of what a Health page range change allocated (6 of 19 MB). Here `isElement`, a predicate
 * that accepts exactly what `element` accepts (a test holds them together), checks each one
 * and the array is returned as it came. A bad answer is refused all the same: its first bad
 * element is named with zod's own message.
 */
export function inPlaceArray<S extends z.ZodMiniType>(element: S, isElement: (v: unknown) => v is z.output<S>) {
  return z.custom<z.output<S>[]>().check((ctx) => {
    const v = ctx.value;
    if (!Array.isArray(v)) {
      ctx.issues.push({ code: 'custom', message: 'expected an array', input: v });
      return;
    }
    const bad = v.findIndex((e) => !isElement(e));
    if (bad === -1) return;
    const parsed = element.safeParse(v[bad]);
    const message = parsed.success ? 'not accepted' : (parsed.error.issues[0]?.message ?? 'invalid');
    ctx.issues.push({ code: 'custom', message: `element ${bad}: ${message}`, input: v, path: [bad] });
  });
}

/** A number zod's `z.number()` accepts: finite. */
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A plain object (what `z.object` accepts as a record): not null, not an array. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
