/** Stable machine-readable error codes, with the HTTP status each one maps to. */
export const PROBLEM_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unprocessable_entity: 422,
  too_many_requests: 429,
  request_header_fields_too_large: 431,
  internal_server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<ProblemCode, string> = {
  bad_request: 'Bad Request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not Found',
  request_timeout: 'Request Timeout',
  conflict: 'Conflict',
  gone: 'Gone',
  payload_too_large: 'Payload Too Large',
  unprocessable_entity: 'Unprocessable Entity',
  too_many_requests: 'Too Many Requests',
  request_header_fields_too_large: 'Request Header Fields Too Large',
  internal_server_error: 'Internal Server Error',
  bad_gateway: 'Bad Gateway',
  service_unavailable: 'Service Unavailable',
};

/** The application/problem+json body, in the hosted API's shape. */
export interface ProblemBody {
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  /** A finer machine-readable reason beside the generic `code`, e.g. `pow_expired`. */
  reason?: string;
  instance?: string;
  requestId?: string;
  error: { code: ProblemCode; message: string };
}

/** Extra, non-secret members of a problem body (`reason` and the like). */
export type ProblemExtensions = Readonly<Record<string, string | number>>;

/**
 * The server's one HTTP error: thrown by routes, domain code and the pairing stores, turned into
 * a problem+json response by the app's error handler (middleware/problem-response.ts).
 * `detail` must be safe to show to any caller. Pairing failures are built by `pairingProblem`
 * (domain/pairing-errors.ts), which sets `reason` to the pairing reason.
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string;
  readonly headers: Record<string, string>;
  /** Members added to the body beside `code`, e.g. `{ reason: 'pow_expired' }`. */
  readonly extensions: ProblemExtensions;
  /** The finer machine-readable reason beside `code` (the `reason` extension), e.g. `code_incorrect`. */
  readonly reason: string | undefined;
  /** See {@link Problem.publicDetail}: a 5xx detail written for the caller, sent as is. */
  readonly publicDetail: boolean;

  constructor(
    code: ProblemCode,
    detail: string,
    headers: Record<string, string> = {},
    extensions: ProblemExtensions = {},
    publicDetail = false,
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.detail = code === 'internal_server_error' ? TITLES[code] : detail;
    this.headers = headers;
    this.extensions = extensions;
    this.reason = typeof extensions.reason === 'string' ? extensions.reason : undefined;
    this.publicDetail = publicDetail;
  }
}

/** Maps an HTTP status to the closest stable code (used for framework-raised errors). */
export function codeForStatus(status: number): ProblemCode {
  for (const [code, s] of Object.entries(PROBLEM_STATUS)) if (s === status) return code as ProblemCode;
  return status >= 500 ? 'internal_server_error' : 'bad_request';
}

/** What one problem+json response says: the one shape every renderer input takes. */
export interface Problem {
  code: ProblemCode;
  detail: string;
  /** Response headers beside the content type (e.g. `retry-after`). */
  headers?: Readonly<Record<string, string>>;
  /** Body members beside `code` (e.g. `reason`). */
  extensions?: ProblemExtensions;
  /**
   * The detail of a 5xx is written by this server for any caller to read (e.g. pairing's
   * "capacity exhausted"), so it is sent instead of the generic title. Default `false`.
   */
  publicDetail?: boolean;
}

/**
 * Builds the body. For 5xx the detail is replaced by the generic title (unless `publicDetail`),
 * so internals can never leak through a server error.
 */
export function problemBody(
  code: ProblemCode,
  detail: string,
  instance?: string,
  requestId?: string,
  extensions: ProblemExtensions = {},
  publicDetail = false,
): ProblemBody {
  const status = PROBLEM_STATUS[code];
  const title = TITLES[code];
  const safeDetail = status >= 500 && !publicDetail ? title : detail;
  return {
    title,
    status,
    detail: safeDetail,
    code,
    ...extensions,
    ...(instance !== undefined ? { instance } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    error: { code, message: safeDetail },
  };
}
