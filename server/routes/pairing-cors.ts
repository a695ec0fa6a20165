import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

const ALLOWED_HEADERS = 'anytype-version, authorization, content-type, x-inkeep-app-id';
const EXPOSED_HEADERS = 'anytype-version, retry-after, x-request-id, content-type';

/**
 * CORS for `/v1/auth/*`: any origin may call (the human typing the code is the gate, and an
 * app's origin allowlist is checked by the routes), no cookies, preflights answered directly.
 * The original desktop API sends no CORS headers at all, which is why browsers cannot use it.
 */
export function pairingCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const allowOrigin = c.req.header('origin') ?? '*';
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        'access-control-allow-origin': allowOrigin,
        'access-control-allow-methods': 'POST, DELETE, OPTIONS',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
        vary: 'Origin',
      });
    }
    await next();
    c.res.headers.set('access-control-allow-origin', allowOrigin);
    c.res.headers.set('access-control-expose-headers', EXPOSED_HEADERS);
    c.res.headers.append('vary', 'Origin');
  };
}
