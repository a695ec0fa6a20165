/**
 * Stable, machine-readable failure reasons of the pairing flow, with the HTTP status each one
 * answers with. Unlike the original desktop API (one 500 for every failure), each case is a
 * distinct 4xx so a client can tell "retype the code" from "ask for a new code".
 */
export const PAIRING_ERRORS = {
  version_unsupported: 400,
  invalid_body: 400,
  invalid_app_name: 400,
  invalid_challenge_id: 400,
  invalid_code_format: 400,
  pairing_app_unset: 400,
  app_mismatch: 400,
  app_not_found: 404,
  challenge_not_found: 404,
  challenge_expired: 410,
  challenge_used: 409,
  challenge_locked: 403,
  code_incorrect: 401,
  api_key_missing: 401,
  api_key_invalid: 401,
  api_key_not_found: 404,
  not_allowed: 403,
  origin_not_allowed: 403,
  rate_limited: 429,
  too_many_failures: 429,
  capacity_exhausted: 503,
} as const;

/** A pairing failure reason (see {@link PAIRING_ERRORS}). */
export type PairingErrorCode = keyof typeof PAIRING_ERRORS;

/** A pairing failure: stable `code`, its HTTP `status`, a human `detail` that never contains a secret. */
export class PairingError extends Error {
  readonly code: PairingErrorCode;
  readonly status: (typeof PAIRING_ERRORS)[PairingErrorCode];
  readonly detail: string;
  /** Seconds the client should wait before trying again (429/503). */
  readonly retryAfterSeconds: number | undefined;
  /** Extra, non-secret members for the problem body (e.g. `attemptsRemaining`). */
  readonly extensions: Readonly<Record<string, string | number>>;

  constructor(
    code: PairingErrorCode,
    detail: string,
    options: { retryAfterSeconds?: number; extensions?: Record<string, string | number> } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PairingError';
    this.code = code;
    this.status = PAIRING_ERRORS[code];
    this.detail = detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extensions = options.extensions ?? {};
  }
}
