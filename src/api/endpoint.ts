// What every API call is addressed with, read by the eager page: the fetch type, base URLs and
// request timeouts. The request machinery itself is in http.ts, which only the lazy chunks load.
import { InkAuthError } from '../errors.js';

/** The `fetch` the API calls use (injected so tests and hosts can wrap it). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Default bound of one API request, response headers and body together: 15 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Longest accepted request timeout (a larger value is clamped): 10 min. */
export const MAX_REQUEST_TIMEOUT_MS = 600_000;

/**
 * An absolute http(s) URL without credentials, as origin + path with no trailing slash (query and
 * hash dropped). `name` names the setting in the `invalid_base_url` error.
 */
export function httpBaseUrl(raw: string, name = 'base-url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InkAuthError('invalid_base_url', `${name} "${raw}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InkAuthError('invalid_base_url', `${name} must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password) throw new InkAuthError('invalid_base_url', `${name} must not carry credentials.`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** A finite positive timeout, clamped to {@link MAX_REQUEST_TIMEOUT_MS}; anything else is the default. */
export function requestTimeoutMs(value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return DEFAULT_REQUEST_TIMEOUT_MS;
  return Math.min(MAX_REQUEST_TIMEOUT_MS, value);
}
