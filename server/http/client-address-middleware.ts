import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { clientAddressOf } from '../core/client-address.js';

/**
 * Sets `clientAddress` for every request: the socket peer, or — only when that peer is one of
 * `trustedProxies` — the client named in `X-Forwarded-For` (see {@link clientAddressOf}).
 */
export function clientAddress(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let peer = 'unknown';
    try {
      peer = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // no Node socket (e.g. app.request() in tests)
    }
    c.set('clientAddress', clientAddressOf(peer, c.req.header('x-forwarded-for'), trustedProxies));
    await next();
  };
}
