import { httpBaseUrl } from './api/endpoint.js';
import { InkAuthError } from './errors.js';

/** The hosted API, used when `base-url` is not set. */
export const DEFAULT_BASE_URL = 'https://api.pilot.inkeep.com';
/** Seconds before `exp` at which a token is renewed, when `refresh-leeway` is not set. */
export const DEFAULT_REFRESH_LEEWAY = 60;

/**
 * Normalises a base URL (origin + path, no trailing slash, no query or hash).
 * Throws `invalid_base_url` for anything that is not an absolute http(s) URL.
 */
export function normalizeBaseUrl(value: string | null | undefined): string {
  return httpBaseUrl((value ?? '').trim() || DEFAULT_BASE_URL);
}

/** Validates `app-id`: required, non-empty. */
export function requireAppId(value: string | null | undefined): string {
  const appId = (value ?? '').trim();
  if (!appId) throw new InkAuthError('missing_app_id', 'The app-id attribute is required.');
  return appId;
}

/** `refresh-leeway` in seconds: a finite number ≥ 0, else the default. */
export function refreshLeewaySeconds(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_REFRESH_LEEWAY;
}
