import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AdminKey } from '../admin-auth.js';
import { MANAGE_SESSION_COOKIE, type ManageSession, type ManageSessions } from '../manage-session.js';
import { ServerError } from '../../core/errors.js';
import { isCrossOriginWrite, isLoopbackHost } from '../../http/same-origin.js';
import { adminKeyOf, CHALLENGE, crossOriginProblem, sessionFromCookie, sessionProblem } from './require-admin-key.js';
import { checkResourceIdParam } from './validation.js';

/** Where the cookie is sent: the manage API only, never the run API or the demo. */
const COOKIE_PATH = '/manage';

function describe(session: ManageSession) {
  return { data: { tenantId: session.tenantId, expiresAt: new Date(session.expiresAt * 1000).toISOString() } };
}

/**
 * `/manage/tenants/:tenantId/session`: sign in (POST, with `Authorization: Bearer <admin key>`),
 * read (GET) and sign out (DELETE: revoked for every instance; an unusable cookie is just
 * cleared) the admin session whose `better-auth.session_token` cookie the manage API accepts
 * instead of the key. The cookie is HttpOnly, SameSite=Lax, Path=/manage, and
 * Secure unless the server is reached on a loopback host; the body never carries the token.
 */
export function manageSessionRoutes(keys: readonly AdminKey[], sessions: ManageSessions): Hono {
  const routes = new Hono().basePath('/manage/tenants/:tenantId/session');
  routes.use('*', async (c, next) => {
    checkResourceIdParam('tenantId', c.req.param('tenantId') ?? '');
    c.header('cache-control', 'no-store');
    await next();
  });

  routes.post('/', async (c) => {
    const tenantId = c.req.param('tenantId') ?? '';
    const key = adminKeyOf(keys, c.req.header('authorization'), tenantId, 'Signing in needs an admin key: Authorization: Bearer <key>');
    const { token, session } = await sessions.issue(tenantId, key);
    setCookie(c, MANAGE_SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: COOKIE_PATH,
      secure: !isLoopbackHost(c),
      maxAge: sessions.lifetimeSeconds,
    });
    return c.json(describe(session), 201);
  });

  routes.get('/', async (c) => {
    const cookie = getCookie(c, MANAGE_SESSION_COOKIE);
    if (cookie === undefined) throw new ServerError('unauthorized', 'No manage session: sign in with POST and an admin key', CHALLENGE);
    return c.json(describe(await sessionFromCookie(c, sessions, cookie, c.req.param('tenantId') ?? '')));
  });

  routes.delete('/', async (c) => {
    const tenantId = c.req.param('tenantId') ?? '';
    const cookie = getCookie(c, MANAGE_SESSION_COOKIE);
    if (cookie !== undefined) {
      if (isCrossOriginWrite(c)) throw crossOriginProblem(c.req.method);
      const found = await sessions.verify(cookie, tenantId);
      if (!('reason' in found)) await sessions.revoke(found);
      else if (found.reason === 'wrong_tenant') throw sessionProblem(found, tenantId);
      // else: a cookie already invalid, expired or signed out is simply cleared.
    }
    deleteCookie(c, MANAGE_SESSION_COOKIE, { path: COOKIE_PATH, secure: !isLoopbackHost(c), httpOnly: true, sameSite: 'Lax' });
    return c.body(null, 204);
  });

  return routes;
}
