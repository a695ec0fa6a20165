import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** Headers the browser component sends; requested extra headers are allowed too (hosted: "any header"). */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-inkeep-app-id',
  'x-inkeep-challenge-solution',
  'x-inkeep-agent-id',
] as const;

/** Response headers a client script may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'content-type'] as const;

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS for `/run/*`: any origin (the origin allowlist is enforced per app by the
 * routes themselves), no cookies (tokens travel in `Authorization`), preflights
 * answered with 204 without reaching the routes.
 */
export function runCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowOrigin = origin ?? '*';
    if (c.req.method === 'OPTIONS') {
      const requested = (c.req.header('access-control-request-headers') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => /^[a-z0-9-]{1,64}$/.test(h));
      const allowed = [...new Set([...CORS_ALLOWED_HEADERS, ...requested])].join(', ');
      return c.body(null, 204, {
        'access-control-allow-origin': allowOrigin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': allowed,
        'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
        vary: 'Origin, Access-Control-Request-Headers',
      });
    }
    await next();
    c.res.headers.set('access-control-allow-origin', allowOrigin);
    c.res.headers.set('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
    c.res.headers.append('vary', 'Origin');
  };
}
