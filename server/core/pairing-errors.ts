import { ServerError, type ErrorCode } from './errors.js';

/**
 * Stable, machine-readable failure reasons of the pairing flow, with the generic error code each
 * one answers with. Unlike the original desktop API (one 500 for every failure), each case is a
 * distinct 4xx so a client can tell "retype the code" from "ask for a new code".
 */
export const PAIRING_ERRORS = {
  version_unsupported: 'bad_request',
  invalid_body: 'bad_request',
  invalid_app_name: 'bad_request',
  invalid_challenge_id: 'bad_request',
  invalid_code_format: 'bad_request',
  pairing_app_unset: 'bad_request',
  app_mismatch: 'bad_request',
  app_not_found: 'not_found',
  challenge_not_found: 'not_found',
  challenge_expired: 'gone',
  challenge_used: 'conflict',
  challenge_locked: 'forbidden',
  code_incorrect: 'unauthorized',
  api_key_missing: 'unauthorized',
  api_key_invalid: 'unauthorized',
  api_key_not_found: 'not_found',
  not_allowed: 'forbidden',
  origin_not_allowed: 'forbidden',
  rate_limited: 'too_many_requests',
  too_many_failures: 'too_many_requests',
  capacity_exhausted: 'service_unavailable',
} as const satisfies Record<string, ErrorCode>;

/** A pairing failure reason (see {@link PAIRING_ERRORS}), sent as the problem's `reason`. */
export type PairingReason = keyof typeof PAIRING_ERRORS;

/** Reasons that mean "authenticate with a Bearer key": their answer carries `WWW-Authenticate`. */
const BEARER_REASONS: ReadonlySet<PairingReason> = new Set(['api_key_missing', 'api_key_invalid']);

/**
 * A pairing failure as the server's one error class: the reason's generic `code` (so clients of
 * the hosted shape still understand `code`), the pairing reason as `reason` and
 * `attemptsRemaining` beside it. Never cached, `Retry-After` when it says when, and a Bearer
 * challenge on key failures; the pairing routes add `Anytype-Version` to every answer. `detail`
 * never contains a secret; a 503's detail is written for the caller, so it is sent as is.
 */
export function pairingProblem(
  reason: PairingReason,
  detail: string,
  options: { retryAfterSeconds?: number; attemptsRemaining?: number } = {},
): ServerError {
  return new ServerError(PAIRING_ERRORS[reason], detail, {
    reason,
    ...(options.attemptsRemaining !== undefined ? { extensions: { attemptsRemaining: options.attemptsRemaining } } : {}),
    ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
    ...(BEARER_REASONS.has(reason) ? { authenticate: 'Bearer realm="ink-auth pairing"' } : {}),
    noStore: true,
    publicDetail: true,
  });
}
