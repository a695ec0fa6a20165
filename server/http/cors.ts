import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';

/** What one mount answers CORS with. */
export interface CorsPolicy {
  /** `Access-Control-Allow-Methods` of a preflight. */
  allowMethods: readonly string[];
  /** Request headers always allowed. */
  allowHeaders: readonly string[];
  /** Also allow the headers a preflight asks for (well-formed names only). Default `false`. */
  allowRequestedHeaders?: boolean;
  /** Response headers a client script may read. */
  exposeHeaders: readonly string[];
}

const PREFLIGHT_MAX_AGE_SECONDS = '600';
/** A serialized origin (`scheme://host[:port]`) or `null`, as browsers send it; bounded in length. */
const ORIGIN_SHAPE = /^(null|[a-z][a-z0-9+.-]*:\/\/[^\s/?#,]+)$/i;
const MAX_ORIGIN_LENGTH = 2048;

/**
 * The origin to allow: the caller's when it is one (browsers match it exactly), else `*`. Echoing
 * anything a client sends would let a 16 KB header come back 16 KB larger, past what clients parse.
 */
function allowedOriginOf(origin: string | undefined): string {
  return origin !== undefined && origin.length <= MAX_ORIGIN_LENGTH && ORIGIN_SHAPE.test(origin) ? origin : '*';
}
const HEADER_NAME = /^[a-z0-9-]{1,64}$/;

/**
 * CORS for a mount: any origin may call (each app's origin allowlist is enforced by the routes
 * themselves), no cookies (credentials travel in `Authorization`), preflights answered with 204
 * without reaching the routes. `hono/cors` is not used: it cannot allow the defaults *plus* the
 * requested headers, it sends `Expose-Headers` on preflights too and joins lists without the
 * space clients of this server have always seen.
 */
export function cors(policy: CorsPolicy): MiddlewareHandler<AppEnv> {
  const allowMethods = policy.allowMethods.join(', ');
  const exposeHeaders = policy.exposeHeaders.join(', ');
  const preflightVary = policy.allowRequestedHeaders ? 'Origin, Access-Control-Request-Headers' : 'Origin';
  return async (c, next) => {
    const allowOrigin = allowedOriginOf(c.req.header('origin'));
    if (c.req.method === 'OPTIONS') {
      const requested = policy.allowRequestedHeaders
        ? (c.req.header('access-control-request-headers') ?? '')
            .split(',')
            .map((h) => h.trim().toLowerCase())
            .filter((h) => HEADER_NAME.test(h))
        : [];
      return c.body(null, 204, {
        'access-control-allow-origin': allowOrigin,
        'access-control-allow-methods': allowMethods,
        'access-control-allow-headers': [...new Set([...policy.allowHeaders, ...requested])].join(', '),
        'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
        vary: preflightVary,
      });
    }
    await next();
    c.res.headers.set('access-control-allow-origin', allowOrigin);
    c.res.headers.set('access-control-expose-headers', exposeHeaders);
    c.res.headers.append('vary', 'Origin');
  };
}

/**
 * `/run/*`: the headers the browser component sends, and any other requested header (hosted:
 * "any header"); `x-request-id`, `retry-after` and `content-type` readable.
 */
export const RUN_CORS: CorsPolicy = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'x-inkeep-app-id', 'x-inkeep-challenge-solution', 'x-inkeep-agent-id'],
  allowRequestedHeaders: true,
  exposeHeaders: ['x-request-id', 'retry-after', 'content-type'],
};

/**
 * `/v1/auth/*` (pairing): the human typing the code is the gate. The original desktop API sends
 * no CORS headers at all, which is why browsers cannot use it.
 */
export const PAIRING_CORS: CorsPolicy = {
  allowMethods: ['POST', 'DELETE', 'OPTIONS'],
  allowHeaders: ['anytype-version', 'authorization', 'content-type', 'x-inkeep-app-id'],
  exposeHeaders: ['anytype-version', 'retry-after', 'x-request-id', 'content-type'],
};
