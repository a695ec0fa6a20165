import { InkAuthError, errorFromResponse, toInkAuthError } from '../errors.js';
import { parseChallenge } from '../pow/challenge.js';
import type { PowChallenge } from '../pow/challenge.js';

/** The `fetch` the API calls use (injected so tests and hosts can wrap it). */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A successful `anonymous-session` response. */
export interface SessionResponse {
  token: string;
  expiresAt: string | null;
}

async function send(fetchFn: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw toInkAuthError(error);
  }
}

async function readJson(response: Response, what: string): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch (error) {
    throw new InkAuthError('invalid_response', `The ${what} response is not JSON.`, {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      cause: error,
    });
  }
}

/**
 * `GET {baseUrl}/run/auth/pow/challenge`. Resolves `null` when the server answers 404
 * (proof of work disabled), the parsed challenge otherwise.
 */
export async function fetchChallenge(fetchFn: FetchLike, baseUrl: string, signal?: AbortSignal): Promise<PowChallenge | null> {
  const response = await send(fetchFn, `${baseUrl}/run/auth/pow/challenge`, { method: 'GET', signal: signal ?? null });
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.ok) throw await errorFromResponse(response);
  return parseChallenge(await readJson(response, 'challenge'));
}

/**
 * `POST {baseUrl}/run/auth/apps/{appId}/anonymous-session`, with the PoW solution header when
 * there is one and the previous token as Bearer so the server keeps the same `anon_` identity.
 */
export async function requestAnonymousSession(
  fetchFn: FetchLike,
  baseUrl: string,
  appId: string,
  options: { solution?: string | null; previousToken?: string | null; signal?: AbortSignal } = {},
): Promise<SessionResponse> {
  const headers: Record<string, string> = {};
  if (options.solution) headers['x-inkeep-challenge-solution'] = options.solution;
  if (options.previousToken) headers['authorization'] = `Bearer ${options.previousToken}`;
  const url = `${baseUrl}/run/auth/apps/${encodeURIComponent(appId)}/anonymous-session`;
  const response = await send(fetchFn, url, { method: 'POST', headers, signal: options.signal ?? null });
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
