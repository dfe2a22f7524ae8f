/** How long to wait for something on a real server, and how often to look. */
export interface Patience {
  timeoutMs: number;
  everyMs: number;
  /** `false` also means "not yet" (reads written as `cond && value`). */
  falseIsPending?: boolean;
}

type Read<T> = () => T | undefined | false | Promise<T | undefined | false>;

/** `read` until it gives a value, or an error naming `what` after `timeoutMs`. */
export async function pollFor<T>(what: string, read: Read<T>, patience: Patience): Promise<T> {
  const deadline = Date.now() + patience.timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined && !(v === false && patience.falseIsPending)) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, patience.everyMs));
  }
}

/**
 * A suite's `eventually(what, read, timeoutMs?)`: its own patience by default. Tests watch
 * informers, controllers and stand-ins converge on the testbed, so they poll, never sleep.
 */
export function eventuallyWithin(defaults: Patience) {
  return <T>(what: string, read: Read<T>, timeoutMs = defaults.timeoutMs): Promise<T> => pollFor(what, read, { ...defaults, timeoutMs });
}
