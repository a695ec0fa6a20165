import type { ErrorCode, ErrorExtensions } from '../core/errors.js';

/** The HTTP status each stable error code answers with: the one table of it. */
export const PROBLEM_STATUS: Readonly<Record<ErrorCode, number>> = {
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
};

const TITLES: Readonly<Record<ErrorCode, string>> = {
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
  code: ErrorCode;
  /** A finer machine-readable reason beside the generic `code`, e.g. `pow_expired`. */
  reason?: string;
  instance?: string;
  requestId?: string;
  error: { code: ErrorCode; message: string };
}

/** Maps an HTTP status to the closest stable code (used for framework-raised errors). */
export function codeForStatus(status: number): ErrorCode {
  for (const [code, s] of Object.entries(PROBLEM_STATUS)) if (s === status) return code as ErrorCode;
  return status >= 500 ? 'internal_server_error' : 'bad_request';
}

/**
 * Builds the body. For 5xx the detail is replaced by the generic title (unless `publicDetail`),
 * so internals can never leak through a server error.
 */
export function problemBody(
  code: ErrorCode,
  detail: string,
  instance?: string,
  requestId?: string,
  extensions: ErrorExtensions = {},
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
