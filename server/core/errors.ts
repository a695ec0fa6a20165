/**
 * Stable machine-readable error codes: the `code` of every problem+json body the server sends.
 * Each names what went wrong in the caller's terms; http/problem.ts alone knows the HTTP status
 * and title of each.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'request_timeout',
  'conflict',
  'gone',
  'payload_too_large',
  'unprocessable_entity',
  'too_many_requests',
  'request_header_fields_too_large',
  'internal_server_error',
  'bad_gateway',
  'service_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extra, non-secret members of an error's body beside `code` and `reason` (e.g. `attemptsRemaining`). */
export type ErrorExtensions = Readonly<Record<string, string | number>>;

/** What a thrower may add to an error beside its code and detail. */
export interface ServerErrorOptions {
  /** A finer machine-readable reason beside the generic `code`, e.g. `pow_expired`. */
  reason?: string;
  extensions?: ErrorExtensions;
  /** Seconds the caller should wait before trying again (a `Retry-After`). */
  retryAfterSeconds?: number;
  /** The authentication scheme the caller must answer with (a `WWW-Authenticate` challenge). */
  authenticate?: string;
  /** The answer must never be cached (pairing failures). */
  noStore?: boolean;
  /** The connection ends after the answer, so a flood pipelined on one socket is refused once. */
  closeConnection?: boolean;
  /**
   * The detail of a server-side failure (a 5xx) was written for any caller to read (pairing's
   * "capacity exhausted"), so it is sent instead of the generic title. Default `false`.
   */
  publicDetail?: boolean;
  cause?: unknown;
}

/**
 * The server's one error: everything a feature, a rule or a store refuses is one of these (or a
 * subclass), decided by its `code` and `reason`, never by its class or text. The app's error
 * handler (http/problem-response.ts) is the one place that turns it into problem+json; nothing
 * that throws it knows HTTP. `detail` must be safe to show to any caller.
 */
export class ServerError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly reason: string | undefined;
  readonly extensions: ErrorExtensions;
  readonly retryAfterSeconds: number | undefined;
  readonly authenticate: string | undefined;
  readonly noStore: boolean;
  readonly closeConnection: boolean;
  readonly publicDetail: boolean;

  constructor(code: ErrorCode, detail: string, options: ServerErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.detail = detail;
    this.reason = options.reason;
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.authenticate = options.authenticate;
    this.noStore = options.noStore ?? false;
    this.closeConnection = options.closeConnection ?? false;
    this.publicDetail = options.publicDetail ?? false;
  }
}
