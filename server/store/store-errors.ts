/**
 * The state layer cannot serve this request right now: the database is unreachable or timed
 * out, or a bounded in-memory store is full of live entries. Routes answer 503 problem+json
 * with `Retry-After: retryAfterSeconds`; the detail never carries the underlying error.
 * The store's own error, not a `ProblemError`: the store layer knows nothing of HTTP, and the
 * app's error handler (middleware/problem-response.ts) maps it to that 503.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(
    /** What could not be done, safe to show (no connection strings, no SQL). */
    readonly detail: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'StoreUnavailableError';
  }
}
