import { InkAuthError, codeForStatus, parseRetryAfter, readErrorBody, type InkAuthErrorCode } from '../errors.js';

/**
 * Why a pairing call failed, finer than the HTTP code. The reference server sends these as
 * `reason`; for the original desktop API (which answers most failures with a bare 500) they
 * are inferred where its body allows, else `unknown`.
 */
export type PairingFailureReason =
  | 'code_incorrect'
  | 'challenge_expired'
  | 'challenge_used'
  | 'challenge_locked'
  | 'challenge_not_found'
  | 'rate_limited'
  | 'too_many_failures'
  | 'version_missing'
  | 'version_unsupported'
  | 'invalid_code_format'
  | 'origin_not_allowed'
  | 'app_not_found'
  | 'server_unreachable'
  | 'unknown';

const KNOWN_REASONS: ReadonlySet<string> = new Set<PairingFailureReason>([
  'code_incorrect',
  'challenge_expired',
  'challenge_used',
  'challenge_locked',
  'challenge_not_found',
  'rate_limited',
  'too_many_failures',
  'version_missing',
  'version_unsupported',
  'invalid_code_format',
  'origin_not_allowed',
  'app_not_found',
]);

// The original API's `code` values (seed 004 server), mapped to the library's codes.
const ORIGINAL_CODES: Record<string, InkAuthErrorCode> = {
  bad_request: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  object_not_found: 'not_found',
  rate_limit_exceeded: 'too_many_requests',
  internal_server_error: 'internal_server_error',
};

const NEEDS_NEW_CODE: ReadonlySet<PairingFailureReason> = new Set([
  'challenge_expired',
  'challenge_used',
  'challenge_locked',
  'challenge_not_found',
]);

/** An {@link InkAuthError} from a pairing call, with the pairing-specific `reason`. */
export class PairingRequestError extends InkAuthError {
  /** The pairing-specific failure reason. */
  override readonly reason: PairingFailureReason;
  /** Wrong codes still allowed on this challenge, when the server said. */
  readonly attemptsRemaining: number | null;

  constructor(
    code: InkAuthErrorCode,
    detail: string,
    reason: PairingFailureReason,
    init: ConstructorParameters<typeof InkAuthError>[2] & { attemptsRemaining?: number | null } = {},
  ) {
    // A pairing refusal is never a proof-of-work refusal (powRefusal stays null).
    super(code, detail, { ...init, reason });
    this.name = 'PairingRequestError';
    this.reason = reason;
    this.attemptsRemaining = init.attemptsRemaining ?? null;
  }

  /** True when the challenge cannot be completed any more: the user needs a new code. */
  get needsNewCode(): boolean {
    return NEEDS_NEW_CODE.has(this.reason);
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Reads a failed pairing response in either shape: problem+json from the reference server
 * (`{title, status, detail, code, reason, requestId, error:{code, message}}`) or the original
 * desktop API's `{object:"error", status, code, message}`. Never throws.
 */
export async function pairingErrorFromResponse(response: Response): Promise<PairingRequestError> {
  const { record, nested } = await readErrorBody(response);
  const status = response.status;
  const original = record['object'] === 'error';
  const claimed = text(record['code']) ?? text(nested['code']);
  const code: InkAuthErrorCode =
    (claimed && original ? ORIGINAL_CODES[claimed] : undefined) ??
    codeForStatus(status);
  const detail =
    text(record['detail']) ?? text(record['message']) ?? text(nested['message']) ?? text(record['title']) ?? `HTTP ${status}`;
  const claimedReason = text(record['reason']);
  let reason: PairingFailureReason = claimedReason && KNOWN_REASONS.has(claimedReason) ? (claimedReason as PairingFailureReason) : 'unknown';
  if (reason === 'unknown' && original && claimed === 'rate_limit_exceeded') reason = 'rate_limited';
  const attempts = record['attemptsRemaining'];
  return new PairingRequestError(code, detail, reason, {
    status,
    requestId: text(record['requestId']) ?? response.headers.get('x-request-id'),
    retryable: status === 429 || status >= 500,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    attemptsRemaining: typeof attempts === 'number' && Number.isInteger(attempts) && attempts >= 0 ? attempts : null,
  });
}
