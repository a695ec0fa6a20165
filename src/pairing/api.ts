import { httpBaseUrl } from '../api/endpoint.js';
import type { FetchLike } from '../api/endpoint.js';
import { readJsonObject, timedRequest } from '../api/http.js';
import { InkAuthError } from '../errors.js';
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
  fetch?: FetchLike;
  signal?: AbortSignal;
  /**
   * A call without a complete answer after this long fails as unreachable (`network_error`,
   * reason `server_unreachable`). Default 15 000 ms.
   */
  timeoutMs?: number;
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
  return new URL(path, `${httpBaseUrl(baseUrl, 'baseUrl')}/`);
}

/** A refused connection or no answer: what users see when the trusted app is not running. */
function unreachable(origin: string, why: string, cause: unknown): PairingRequestError {
  return new PairingRequestError('network_error', `The pairing server at ${origin} is not reachable${why}`, 'server_unreachable', { retryable: true, cause });
}

/** One pairing call: a failed response becomes a {@link PairingRequestError}, a 2xx one is read by `read`. */
function call<T>(
  options: PairingClientOptions,
  request: { method: string; path: string; body?: unknown; bearer?: string },
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const url = endpoint(options.baseUrl, request.path);
  const headers: Record<string, string> = { 'Anytype-Version': PAIRING_API_VERSION, accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (options.appId) headers['x-inkeep-app-id'] = options.appId;
  if (request.bearer) headers['authorization'] = `Bearer ${request.bearer}`;
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const init: RequestInit = { method: request.method, headers, body: request.body === undefined ? null : JSON.stringify(request.body) };
  return timedRequest(fetchFn, url.href, init, async (response) => {
    if (!response.ok) throw await pairingErrorFromResponse(response);
    return read(response);
  }, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    timeout: (ms) => unreachable(url.origin, `: no answer within ${ms / 1000} s.`, null),
    network: (error) => unreachable(url.origin, '. Is the trusted app running?', error),
  });
}

const jsonObject = (response: Response) => readJsonObject(response, 'pairing');

/**
 * Asks the server for a pairing challenge (`POST /v1/auth/challenges`). The server shows a
 * 4-digit code to the person in charge; this resolves with the challenge id only.
 * @param appName The name shown next to the code (1…100 printable characters).
 * @throws PairingRequestError for HTTP failures and an unreachable server; InkAuthError otherwise.
 */
export async function createPairingChallenge(options: PairingClientOptions, appName: string): Promise<{ challengeId: string }> {
  const body: Record<string, string> = { app_name: appName };
  const data = await call(options, { method: 'POST', path: 'v1/auth/challenges', body }, jsonObject);
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
  const data = await call(options, { method: 'POST', path: 'v1/auth/api_keys', body: { challenge_id: challengeId, code } }, jsonObject);
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
    await call(options, { method: 'DELETE', path: `v1/auth/api_keys/${encodeURIComponent(key.keyId)}`, bearer: key.apiKey }, async (response) => {
      await response.body?.cancel().catch(() => undefined);
    });
  } catch (error) {
    if (error instanceof PairingRequestError && (error.status === 401 || error.status === 404)) return;
    throw error;
  }
}
