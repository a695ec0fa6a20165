import { InkAuthError, toInkAuthError } from '../errors.js';

/** The `fetch` the API calls use (injected so tests and hosts can wrap it). */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Default bound of one API request, response headers and body together: 15 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Longest accepted request timeout (a larger value is clamped): 10 min. */
export const MAX_REQUEST_TIMEOUT_MS = 600_000;

/** What bounds one request. */
export interface RequestBounds {
  /** Aborting rejects with `aborted`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds until the request fails with `timeout`; default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number | undefined;
}

/** A finite positive timeout, clamped to {@link MAX_REQUEST_TIMEOUT_MS}; anything else is the default. */
export function requestTimeoutMs(value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return DEFAULT_REQUEST_TIMEOUT_MS;
  return Math.min(MAX_REQUEST_TIMEOUT_MS, value);
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
  bounds: RequestBounds = {},
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
      settle(() => reject(new InkAuthError('timeout', `${init.method ?? 'GET'} ${path} did not complete within ${timeoutMs} ms.`, { retryable: true })));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = async () => {
      let response: Response;
      try {
        response = await fetchFn(url, { ...init, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
      } catch (error) {
        throw toInkAuthError(error);
      }
      return read(response);
    };
    run().then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(toInkAuthError(error))),
    );
  });
}
