import { ServerError } from '../core/errors.js';

/**
 * The state layer cannot serve this request right now: the database is unreachable or timed
 * out, or a bounded in-memory store is full of live entries. It is `service_unavailable` with a
 * retry delay; the answer's detail is the generic one, so it never carries the underlying error.
 */
export class StoreUnavailableError extends ServerError {
  constructor(
    /** What could not be done (no connection strings, no SQL). */
    detail: string,
    /** Seconds a client should wait before retrying. */
    retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super('service_unavailable', detail, { retryAfterSeconds, cause: options?.cause });
    this.name = 'StoreUnavailableError';
  }
}
