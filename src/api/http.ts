// The client's HTTP plumbing, shared by the auth, pairing and manage calls: bounded requests and
// JSON bodies (base URLs and timeouts are in endpoint.ts). Failed responses become errors in
// errors.ts (and pairing-error.ts).
import { InkAuthError, isAbortError, toInkAuthError } from '../errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeoutMs } from './endpoint.js';
import type { FetchLike } from './endpoint.js';

/** What a rejected `fetch` call means: `aborted`, else a retryable `network_error`. */
export function fetchFailure(error: unknown): InkAuthError {
  if (isAbortError(error)) return toInkAuthError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new InkAuthError('network_error', `Network request failed: ${message}`, { retryable: true, cause: error });
}

/** What bounds one request. */
export interface RequestBounds {
  /** Aborting rejects with `aborted`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds until the request fails with `timeout`; default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number | undefined;
}

/** How a caller names the failures of {@link timedRequest} that have no response. */
export interface RequestFailures {
  /** No complete answer within `timeoutMs` (default: a retryable `timeout`). */
  timeout?: (timeoutMs: number) => InkAuthError;
  /** The fetch itself failed, not by abort (default: {@link fetchFailure}: a retryable `network_error`). */
  network?: (error: unknown) => InkAuthError;
}

const aborted = () => new InkAuthError('aborted', 'The operation was aborted.');

/**
 * Sends one request and reads its response with `read`, all within `timeoutMs`. A server that
 * never answers, or sends headers and then never ends the body, fails with a retryable
 * `timeout` InkAuthError instead of hanging; the underlying fetch is aborted. The bound holds
 * even for an injected fetch that ignores its signal.
 */
export function timedRequest<T>(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  read: (response: Response) => Promise<T>,
  bounds: RequestBounds & RequestFailures = {},
): Promise<T> {
  const timeoutMs = requestTimeoutMs(bounds.timeoutMs);
  const { signal } = bounds;
  if (signal?.aborted) return Promise.reject(aborted());
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    function onAbort() {
      controller.abort();
      settle(() => reject(aborted()));
    }
    const timer = setTimeout(() => {
      controller.abort();
      const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '');
      const error = bounds.timeout?.(timeoutMs) ?? new InkAuthError('timeout', `${init.method ?? 'GET'} ${path} did not complete within ${timeoutMs} ms.`, { retryable: true });
      settle(() => reject(error));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = async () => {
      let response: Response;
      try {
        response = await fetchFn(url, { ...init, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
      } catch (error) {
        const failed = fetchFailure(error);
        throw bounds.network && failed.code !== 'aborted' ? bounds.network(error) : failed;
      }
      return read(response);
    };
    run().then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(toInkAuthError(error))),
    );
  });
}

/**
 * A response body parsed as JSON. Fails with `invalid_response` ("The {what} response is not
 * JSON.") when it is not.
 */
export async function readJson(response: Response, what: string): Promise<unknown> {
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

/** {@link readJson} that also fails with `invalid_response` when the body is not a JSON object. */
export async function readJsonObject(response: Response, what: string): Promise<Record<string, unknown>> {
  const value = await readJson(response, what);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new InkAuthError('invalid_response', `The ${what} response is not a JSON object.`, {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
  });
}
