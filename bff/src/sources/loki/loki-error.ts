/**
 * `message` is safe to show a person; Loki's own words and addresses go to the log.
 * `kind`: `refused` when Loki answered 4xx (the query, as Loki saw it, was not accepted),
 * `upstream` for everything else (unreachable, timeout, 5xx, too large, not Loki's shape).
 */
export class LokiError extends Error {
  override name = 'LokiError';
  readonly kind: 'refused' | 'upstream';
  constructor(message: string, kind: 'refused' | 'upstream' = 'upstream') {
    super(message);
    this.kind = kind;
  }
}
