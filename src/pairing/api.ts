import { InkAuthError, isAbortError } from '../errors.js';
import { pairingErrorFromResponse, PairingRequestError } from './pairing-error.js';

/** The pairing API version this library speaks (header `Anytype-Version`). */
export const PAIRING_API_VERSION = '2025-11-08';

/** Where and how to call the pairing API. */
export interface PairingClientOptions {
  /** Server base URL, e.g. `http://127.0.0.1:8787`. Paths are resolved below it. */
  baseUrl: string;
  /** The app to pair for; sent as `x-inkeep-app-id` (the reference server requires it). */
  appId?: string;
  /** Injected fetch (tests, instrumentation). Default: the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** A paired API key as the server returned it. */
export interface PairedKey {
  apiKey: string;
  /** Key id for revocation (`key_…`); `null` when the server does not say (the original API). */
  keyId: string | null;
  /** `null` when the key does not expire or the server does not say. */
  expiresAt: Date | null;
}

const CODE = /^[0-9]{4}$/;

function endpoint(baseUrl: string, path: string): URL {
  try {
    const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('not http(s)');
    return new URL(path, base);
  } catch {
    throw new InkAuthError('invalid_base_url', `"${baseUrl}" is not an http(s) URL.`);
  }
}

async function call(options: PairingClientOptions, method: string, path: string, body?: unknown, bearer?: string): Promise<Response> {
  const url = endpoint(options.baseUrl, path);
  const headers: Record<string, string> = { 'Anytype-Version': PAIRING_API_VERSION, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.appId) headers['x-inkeep-app-id'] = options.appId;
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: options.signal ?? null,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (isAbortError(error)) throw new InkAuthError('aborted', 'The pairing request was aborted.', { cause: error });
    // A refused connection is what users see when the trusted app is not running.
    throw new PairingRequestError('network_error', `The pairing server at ${url.origin} is not reachable. Is the trusted app running?`, 'server_unreachable', {
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) throw await pairingErrorFromResponse(response);
  return response;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    const value: unknown = await response.json();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InkAuthError('invalid_response', 'The pairing server answered with something other than a JSON object.', {
    status: response.status,
  });
}

/**
 * Asks the server for a pairing challenge (`POST /v1/auth/challenges`). The server shows a
 * 4-digit code to the person in charge; this resolves with the challenge id only.
 * @param appName The name shown next to the code (1…100 printable characters).
 * @throws PairingRequestError for HTTP failures and an unreachable server; InkAuthError otherwise.
 */
export async function createPairingChallenge(options: PairingClientOptions, appName: string): Promise<{ challengeId: string }> {
  const body: Record<string, string> = { app_name: appName };
  const data = await json(await call(options, 'POST', 'v1/auth/challenges', body));
  const challengeId = data['challenge_id'];
  if (typeof challengeId !== 'string' || challengeId.length === 0 || challengeId.length > 256) {
    throw new InkAuthError('invalid_response', 'The pairing server returned no challenge_id.');
  }
  return { challengeId };
}

/**
 * Trades a challenge and the code the user typed for an API key (`POST /v1/auth/api_keys`).
 * The code is checked against `^\d{4}$` first, without a request.
 * @throws PairingRequestError — `reason` tells a retypable wrong code from a dead challenge.
 */
export async function exchangePairingCode(options: PairingClientOptions, challengeId: string, code: string): Promise<PairedKey> {
  if (!CODE.test(code)) {
    throw new PairingRequestError('bad_request', 'The code must be exactly 4 digits.', 'invalid_code_format');
  }
  const data = await json(await call(options, 'POST', 'v1/auth/api_keys', { challenge_id: challengeId, code }));
  const apiKey = data['api_key'];
  if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > 1024 || /\s/.test(apiKey)) {
    throw new InkAuthError('invalid_response', 'The pairing server returned no usable api_key.');
  }
  const keyId = typeof data['key_id'] === 'string' ? data['key_id'] : null;
  const expires = typeof data['expires_at'] === 'string' ? new Date(data['expires_at']) : null;
  return { apiKey, keyId, expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null };
}

/**
 * Revokes a paired key with the key itself (`DELETE /v1/auth/api_keys/{keyId}`), e.g. when
 * the user signs out. A key the server no longer knows counts as revoked.
 */
export async function revokePairedKey(options: PairingClientOptions, key: { apiKey: string; keyId: string }): Promise<void> {
  try {
    await call(options, 'DELETE', `v1/auth/api_keys/${encodeURIComponent(key.keyId)}`, undefined, key.apiKey);
  } catch (error) {
    if (error instanceof PairingRequestError && (error.status === 401 || error.status === 404)) return;
    throw error;
  }
}
