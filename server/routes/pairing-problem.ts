import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import type { PairingError } from '../domain/pairing-errors.js';
import { PAIRING_API_VERSION, PAIRING_VERSION_HEADER } from '../domain/pairing-version.js';

// The generic code and title of each status pairing answers with; the specific pairing
// reason travels beside it as `reason` so clients of the hosted shape still understand `code`.
const GENERIC: Record<number, { code: string; title: string }> = {
  400: { code: 'bad_request', title: 'Bad Request' },
  401: { code: 'unauthorized', title: 'Unauthorized' },
  403: { code: 'forbidden', title: 'Forbidden' },
  404: { code: 'not_found', title: 'Not Found' },
  409: { code: 'conflict', title: 'Conflict' },
  410: { code: 'gone', title: 'Gone' },
  429: { code: 'too_many_requests', title: 'Too Many Requests' },
  503: { code: 'service_unavailable', title: 'Service Unavailable' },
};

/**
 * Renders a {@link PairingError} as application/problem+json in the server's error shape, plus
 * `reason` (the stable pairing code, e.g. `challenge_expired`) and any extensions such as
 * `attemptsRemaining`. Adds `Retry-After` and, for key failures, `WWW-Authenticate`.
 */
export function pairingProblemResponse(c: Context<AppEnv>, error: PairingError): Response {
  const generic = GENERIC[error.status] ?? { code: 'bad_request', title: 'Bad Request' };
  const requestId = c.get('requestId') as string | undefined;
  const body = {
    title: generic.title,
    status: error.status,
    detail: error.detail,
    code: generic.code,
    reason: error.code,
    ...error.extensions,
    instance: c.req.path,
    ...(requestId ? { requestId } : {}),
    error: { code: generic.code, message: error.detail },
  };
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    [PAIRING_VERSION_HEADER]: PAIRING_API_VERSION,
  };
  if (requestId) headers['x-request-id'] = requestId;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.code === 'api_key_missing' || error.code === 'api_key_invalid') {
    headers['www-authenticate'] = 'Bearer realm="ink-auth pairing"';
  }
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
