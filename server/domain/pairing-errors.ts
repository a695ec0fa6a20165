import { codeForStatus, ProblemError } from './problem.js';

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

/** A pairing failure reason (see {@link PAIRING_ERRORS}), sent as the problem's `reason`. */
export type PairingReason = keyof typeof PAIRING_ERRORS;

/** Reasons that mean "authenticate with a Bearer key": their answer carries `WWW-Authenticate`. */
const BEARER_REASONS: ReadonlySet<PairingReason> = new Set(['api_key_missing', 'api_key_invalid']);

/**
 * A pairing failure as the server's one error class: the generic `code` of the reason's status
 * (so clients of the hosted shape still understand `code`), the pairing reason as `reason` and
 * `attemptsRemaining` beside it. Never cached, `Retry-After` when it says when, and a Bearer
 * challenge on key failures; the pairing routes add `Anytype-Version` to every answer. `detail`
 * never contains a secret; a 503's detail is written for the caller, so it is sent as is.
 */
export function pairingProblem(
  reason: PairingReason,
  detail: string,
  options: { retryAfterSeconds?: number; attemptsRemaining?: number } = {},
): ProblemError {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (BEARER_REASONS.has(reason)) headers['www-authenticate'] = 'Bearer realm="ink-auth pairing"';
  const extensions: Record<string, string | number> = { reason };
  if (options.attemptsRemaining !== undefined) extensions['attemptsRemaining'] = options.attemptsRemaining;
  return new ProblemError(codeForStatus(PAIRING_ERRORS[reason]), detail, headers, extensions, true);
}
