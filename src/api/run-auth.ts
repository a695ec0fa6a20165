import { InkAuthError, errorFromResponse } from '../errors.js';
import { parseChallenge } from '../pow/challenge.js';
import type { PowChallenge } from '../pow/challenge.js';
import { readJson, timedRequest } from './http.js';
import type { RequestBounds } from './http.js';
import type { FetchLike } from './endpoint.js';

export type { RequestBounds } from './http.js';
export type { FetchLike } from './endpoint.js';

/** A successful `anonymous-session` response. */
export interface SessionResponse {
  token: string;
  expiresAt: string | null;
}

/**
 * `GET {baseUrl}/run/auth/pow/challenge`. Resolves `null` when the server answers 404
 * (proof of work disabled), the parsed challenge otherwise. `bounds.timeoutMs` (default 15 s)
 * limits the whole exchange, body included: past it the call fails with a retryable `timeout`.
 */
export function fetchChallenge(fetchFn: FetchLike, baseUrl: string, bounds: RequestBounds = {}): Promise<PowChallenge | null> {
  return timedRequest(fetchFn, `${baseUrl}/run/auth/pow/challenge`, { method: 'GET' }, async (response) => {
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    if (!response.ok) throw await errorFromResponse(response);
    return parseChallenge(await readJson(response, 'challenge'));
  }, bounds);
}

/**
 * `POST {baseUrl}/run/auth/apps/{appId}/anonymous-session`, with the PoW solution header when
 * there is one and the previous token as Bearer so the server keeps the same `anon_` identity.
 * `options.timeoutMs` (default 15 s) bounds the exchange as in {@link fetchChallenge}.
 */
export function requestAnonymousSession(
  fetchFn: FetchLike,
  baseUrl: string,
  appId: string,
  options: { solution?: string | null; previousToken?: string | null } & RequestBounds = {},
): Promise<SessionResponse> {
  const headers: Record<string, string> = {};
  if (options.solution) headers['x-inkeep-challenge-solution'] = options.solution;
  if (options.previousToken) headers['authorization'] = `Bearer ${options.previousToken}`;
  const url = `${baseUrl}/run/auth/apps/${encodeURIComponent(appId)}/anonymous-session`;
  return timedRequest(fetchFn, url, { method: 'POST', headers }, readSession, { signal: options.signal, timeoutMs: options.timeoutMs });
}

async function readSession(response: Response): Promise<SessionResponse> {
  if (!response.ok) throw await errorFromResponse(response);
  const body = await readJson(response, 'anonymous-session');
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof record.token !== 'string' || record.token.length === 0) {
    throw new InkAuthError('invalid_response', 'The anonymous-session response has no token.', {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
    });
  }
  return { token: record.token, expiresAt: typeof record.expiresAt === 'string' ? record.expiresAt : null };
}
