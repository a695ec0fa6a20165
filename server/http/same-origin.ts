import type { Context } from 'hono';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that a browser could have sent on its own (cookie credentials) came from
 * another origin: an unsafe method whose `Origin` is not this server's host (`null` included), or,
 * without `Origin`, whose `Sec-Fetch-Site` says cross-site or same-site. The host compared is the
 * `Host` header (a reverse proxy must pass it through); the scheme is not, since TLS often ends
 * at the proxy. A request with neither header is not from a browser that could be tricked.
 */
export function isCrossOriginWrite(c: Context): boolean {
  if (SAFE_METHODS.has(c.req.method)) return false;
  const origin = c.req.header('origin');
  const host = c.req.header('host')?.toLowerCase();
  if (origin !== undefined) {
    if (!host) return true;
    try {
      return new URL(origin).host.toLowerCase() !== host;
    } catch {
      return true; // `null` and anything else that is not an origin
    }
  }
  const site = c.req.header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** Whether the request's `Host` names this machine (cookies there may go without `Secure`). */
export function isLoopbackHost(c: Context): boolean {
  const host = c.req.header('host')?.toLowerCase() ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '[::1]';
}
