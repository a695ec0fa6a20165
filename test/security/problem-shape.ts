import { PROBLEM_STATUS } from '../../server/http/problem.js';
import { PAIRING_ERRORS } from '../../server/core/pairing-errors.js';
import { POW_REFUSAL_REASONS } from '../../server/auth/pow.js';
import { MANAGE_SESSION_REASONS } from '../../server/manage/manage-session.js';
import { END_USER_JWT_REASONS } from '../../server/auth/end-user-jwt.js';
import type { Reply } from './http-client.js';

const CORE_FIELDS = ['code', 'detail', 'error', 'instance', 'requestId', 'status', 'title'];
// Pairing answers add the specific reason and its extensions (documented in domain/pairing-errors.ts, pairingProblem).
const PAIRING_EXTRA = new Set(['reason', 'attemptsRemaining']);
const POW_REASONS = new Set<string>(Object.values(POW_REFUSAL_REASONS));
// Other routes' reasons beside a generic code that maps to the status as usual.
const OTHER_REASONS = new Set<string>([...MANAGE_SESSION_REASONS, ...END_USER_JWT_REASONS, 'unknown_conversation', 'unknown_message', 'user_token_required', 'anonymous_token_invalid', 'anonymous_disabled']);
// Seed 002's credential DELETE body: the problem members plus a flat {error: title, message: detail, details}.
const SEED_FLAT_FIELDS = ['message', 'details'];
const PAIRING_GENERIC: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/**
 * Whether a reply is a transport-level drop that never reached the app: status 0, the
 * connection closed unanswered. Node's HTTP parser errors (server/http/transport.ts) and requests
 * @hono/node-server cannot turn into a URL (`*`, `ftp://…`, a malformed Host) are answered with
 * problem+json like every other error, so nothing else may end bare.
 */
export function isProtocolRejection(reply: Reply): boolean {
  return reply.status === 0;
}

/**
 * Everything wrong with an error reply's problem+json (empty when well-formed):
 * content type, nosniff, request id header, body fields and their agreement with
 * the status. Pairing routes may carry `reason` and `attemptsRemaining` beside the
 * core fields and use a generic `code`; proof-of-work refusals carry only a `pow_…` `reason`
 * with 400 `bad_request`; manage-session and event refusals a `reason` beside their usual code;
 * credential DELETE (seed 002) a flat `{error: title, message: detail, details: null}`.
 */
export function problemViolations(reply: Reply, options: { method?: string } = {}): string[] {
  const out: string[] = [];
  if (reply.headers['content-type'] !== 'application/problem+json') out.push(`content-type ${String(reply.headers['content-type'])}`);
  if (reply.headers['x-content-type-options'] !== 'nosniff') out.push('missing nosniff');
  const requestId = reply.headers['x-request-id'];
  if (typeof requestId !== 'string' || !/^req_[0-9a-f]{32}$/.test(requestId)) out.push(`x-request-id ${String(requestId)}`);
  if (options.method === 'HEAD') return out;
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(reply.text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [...out, 'body is not an object'];
    body = parsed as Record<string, unknown>;
  } catch {
    return [...out, `body is not JSON: ${reply.text.slice(0, 80)}`];
  }
  const pow = typeof body.reason === 'string' && POW_REASONS.has(body.reason);
  const other = typeof body.reason === 'string' && OTHER_REASONS.has(body.reason);
  const pairing = typeof body.reason === 'string' && !pow && !other;
  const seedFlat = typeof body.error === 'string';
  for (const key of Object.keys(body)) {
    const extra = (pairing && PAIRING_EXTRA.has(key)) || ((pow || other) && key === 'reason') || (seedFlat && SEED_FLAT_FIELDS.includes(key));
    if (!CORE_FIELDS.includes(key) && !extra) out.push(`unexpected field ${key}`);
  }
  for (const key of ['title', 'detail', 'code', 'requestId']) if (typeof body[key] !== 'string') out.push(`${key} not a string`);
  if (body.status !== reply.status) out.push(`body status ${String(body.status)} ≠ ${reply.status}`);
  if (body.requestId !== requestId) out.push('requestId differs from header');
  if (seedFlat) {
    if (body.error !== body.title || body.message !== body.detail || body.details !== null) out.push('seed {error,message,details} disagrees with title/detail');
  } else {
    const error = body.error as { code?: unknown; message?: unknown } | undefined;
    if (!error || error.code !== body.code || error.message !== body.detail) out.push('error{code,message} disagrees with code/detail');
  }
  const code = String(body.code);
  if (pow) {
    if (reply.status !== 400 || code !== 'bad_request') out.push(`PoW reason ${String(body.reason)} with ${reply.status} ${code}`);
  } else if (pairing) {
    if (PAIRING_GENERIC[reply.status] !== code) out.push(`pairing code ${code} for status ${reply.status}`);
    const reason = String(body.reason) as keyof typeof PAIRING_ERRORS;
    if (PAIRING_ERRORS[reason] !== code) out.push(`pairing reason ${reason} for status ${reply.status}`);
  } else if ((PROBLEM_STATUS as Record<string, number>)[code] !== reply.status) {
    out.push(`code ${code} does not map to ${reply.status}`);
  }
  if (reply.status >= 500 && body.detail !== body.title) out.push('5xx detail is not generic');
  return out;
}
