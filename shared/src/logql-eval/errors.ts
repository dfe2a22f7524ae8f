/**
 * A query the evaluator will not run: bad syntax, outside the supported subset, or an
 * evaluation that failed (a pipeline error in a metric query, too much to read). The
 * message is safe to show; a Loki stand-in answers it as a 400.
 */
export class LogQLError extends Error {
  override name = 'LogQLError';
  /** 0-based offset into the query when one place is to blame. */
  readonly position: number | undefined;
  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}
