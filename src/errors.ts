/**
 * Stable, machine-readable error codes. Callers branch on `code`, never on message text.
 *
 * Client-side codes describe what went wrong in the browser; the HTTP codes are the
 * problem+json `code` values the server sends (kept verbatim so they stay comparable).
 */
export type InkAuthErrorCode =
  // configuration (no network request is made)
  | 'missing_app_id'
  | 'invalid_base_url'
  | 'no_provider'
  // transport and response shape
  | 'network_error'
  | 'invalid_response'
  | 'invalid_token'
  | 'aborted'
  /** An API request got no complete response within the request timeout (retryable). */
  | 'timeout'
  // proof of work
  | 'unsupported_challenge'
  | 'pow_unsolved'
  | 'pow_worker_failed'
  // signed-in users
  /** The site's user token (`user-token`, `getUserToken()`) is not a JWT with a `sub` and a future `exp`. */
  | 'user_token_invalid'
  /** The user token expired and nothing renewed it (set a new `user-token`, or give `getUserToken`). */
  | 'user_token_expired'
  /** The app serves signed-in users only (`allowAnonymous: false`) and no user token is set. */
  | 'sign_in_required'
  // HTTP problem codes
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable_entity'
  | 'too_many_requests'
  | 'internal_server_error'
  | 'bad_gateway'
  | 'service_unavailable'
  | 'http_error';

/** The library's code of each HTTP status it names; any other status is `http_error`. */
const HTTP_STATUS_CODES: Readonly<Record<number, InkAuthErrorCode>> = Object.freeze({
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
});

const HTTP_CODES: ReadonlySet<string> = new Set(Object.values(HTTP_STATUS_CODES));

/** The code of an HTTP status (see {@link HTTP_STATUS_CODES}). */
export function codeForStatus(status: number): InkAuthErrorCode {
  return HTTP_STATUS_CODES[status] ?? 'http_error';
}

/**
 * Why the server refused a proof-of-work solution: the problem+json `reason` of the reference
 * server. Each one means "solve a new challenge and try again".
 */
export type PowRefusalReason = 'pow_required' | 'pow_invalid' | 'pow_expired' | 'pow_replayed';

/** Every {@link PowRefusalReason}. */
export const POW_REFUSAL_REASONS: readonly PowRefusalReason[] = Object.freeze(['pow_required', 'pow_invalid', 'pow_expired', 'pow_replayed']);

/**
 * The hosted API's documented `detail` texts of its proof-of-work refusals (400 `bad_request`; it
 * sends no `reason`), used only when a refusal carries no `reason`.
 */
export const HOSTED_POW_DETAILS: Readonly<Record<PowRefusalReason, string>> = Object.freeze({
  pow_required: 'Proof-of-work challenge solution is required.',
  pow_invalid: 'Proof-of-work challenge solution is invalid.',
  pow_expired: 'Proof-of-work challenge has expired. Please request a new challenge.',
  pow_replayed: 'Proof-of-work challenge solution has already been used. Please request a new challenge.',
});

/** The refusal a 400/403 without `reason` means: one of the hosted API's documented texts above, else none. */
function powRefusalFromDetail(status: number, detail: string): PowRefusalReason | null {
  if (status !== 400 && status !== 403) return null;
  return POW_REFUSAL_REASONS.find((reason) => detail.startsWith(HOSTED_POW_DETAILS[reason])) ?? null;
}

/** Fields of an {@link InkAuthError} besides its code and detail. */
export interface InkAuthErrorInit {
  /** HTTP status, 0 when no response was involved. */
  status?: number;
  /** The server's `requestId` (or `x-request-id` header) when known. */
  requestId?: string | null;
  /** Whether trying again later may succeed (network errors, 5xx, 429). */
  retryable?: boolean;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it did. */
  retryAfterMs?: number | null;
  /** Why a proof-of-work solution was refused; default `null` (no such refusal). */
  powRefusal?: PowRefusalReason | null;
  /** The server's machine `reason` (problem+json), when it sent one. */
  reason?: string | null;
  cause?: unknown;
}

/**
 * The one error type the library throws, rejects with and publishes in its state.
 *
 * @example
 * try { await provider.getToken() } catch (e) { if (e instanceof InkAuthError && e.code === 'forbidden') … }
 */
export class InkAuthError extends Error {
  /** Stable machine-readable code. */
  readonly code: InkAuthErrorCode;
  /** HTTP status of the failing response, 0 when none. */
  readonly status: number;
  /** Human-readable explanation (the problem+json `detail` for server errors). */
  readonly detail: string;
  /** Server request id for support and log correlation, when known. */
  readonly requestId: string | null;
  /** True when the same call may succeed if retried later. */
  readonly retryable: boolean;
  /** Server-requested wait before a retry, in milliseconds. */
  readonly retryAfterMs: number | null;
  /** Why the server refused a proof-of-work solution, `null` when this is no such refusal. */
  readonly powRefusal: PowRefusalReason | null;
  /** The server's machine `reason` (e.g. `origin_not_allowed`, `user_token_expired`), `null` when it sent none. */
  readonly reason: string | null;

  constructor(code: InkAuthErrorCode, detail: string, init: InkAuthErrorInit = {}) {
    // The message is the detail alone: UIs print `${error.code}: ${error.message}` or the message
    // beside the code, and a code inside the message then read twice ("forbidden: forbidden: …").
    super(detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'InkAuthError';
    this.code = code;
    this.detail = detail;
    this.status = init.status ?? 0;
    this.requestId = init.requestId ?? null;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.powRefusal = init.powRefusal ?? null;
    this.reason = init.reason ?? null;
  }

  /** True when the server refused the proof-of-work solution (solve a new challenge and retry). */
  get challengeRejected(): boolean {
    return this.powRefusal !== null;
  }
}

/**
 * Turns an unknown thrown value into an {@link InkAuthError}, keeping InkAuthErrors as they are.
 * Anything else (a bug, an unreadable body) is a non-retryable `invalid_response` with the value as
 * its cause: only `fetchFailure` (api/http.ts) says `network_error`, for a fetch that rejected.
 */
export function toInkAuthError(error: unknown): InkAuthError {
  if (error instanceof InkAuthError) return error;
  if (isAbortError(error)) return new InkAuthError('aborted', 'The operation was aborted.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new InkAuthError('invalid_response', message, { cause: error });
}

/** True for DOMException AbortError (fetch, locks) and our own `aborted` errors. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof InkAuthError) return error.code === 'aborted';
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Parses a `Retry-After` header (delta seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Reads a failed response's body as an object and its nested `error` object; a body that is not
 * a JSON object reads as `{}`. Never throws.
 */
export async function readErrorBody(response: Response): Promise<{ record: Record<string, unknown>; nested: Record<string, unknown> }> {
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = null;
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const nested = (typeof record.error === 'object' && record.error !== null ? record.error : {}) as Record<string, unknown>;
  return { record, nested };
}

/**
 * The `powRefusal` of a failed response: its `reason` when it is a {@link PowRefusalReason}, none
 * for any other reason (codes decide, not texts); without a reason, the hosted API's documented
 * detail texts (it sends none).
 */
function powRefusalOf(reason: string | null, status: number, detail: string): PowRefusalReason | null {
  if (reason === null) return powRefusalFromDetail(status, detail);
  return (POW_REFUSAL_REASONS as readonly string[]).includes(reason) ? (reason as PowRefusalReason) : null;
}

/**
 * Builds an {@link InkAuthError} from a failed response. Reads problem+json
 * (`{title, status, detail, code, reason, requestId, error:{code, message}}`) as well as the plain
 * `{error:{code, message}}` body of a disabled PoW endpoint; anything else falls back to the status.
 */
export async function errorFromResponse(response: Response): Promise<InkAuthError> {
  const { record, nested } = await readErrorBody(response);
  const claimed = str(record.code) ?? str(nested.code);
  const code: InkAuthErrorCode = claimed && HTTP_CODES.has(claimed) ? (claimed as InkAuthErrorCode) : codeForStatus(response.status);
  const detail = str(record.detail) ?? str(nested.message) ?? str(record.title) ?? `HTTP ${response.status} ${response.statusText}`.trim();
  const status = response.status;
  const reason = str(record.reason);
  return new InkAuthError(code, detail, {
    status,
    requestId: str(record.requestId) ?? response.headers.get('x-request-id'),
    retryable: status === 429 || status >= 500,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    powRefusal: powRefusalOf(reason, status, detail),
    reason,
  });
}
