import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { checkAdminKey, type AdminKey } from '../admin-auth.js';
import { MANAGE_SESSION_COOKIE, type ManageSession, type ManageSessions, type SessionRefusal } from '../manage-session.js';
import { ServerError } from '../../core/errors.js';
import { isCrossOriginWrite } from '../../http/same-origin.js';

/** The `WWW-Authenticate` challenge of every manage 401. */
export const CHALLENGE = { authenticate: 'Bearer realm="ink-auth manage"' } as const;

const SESSION_REFUSALS: Record<Exclude<SessionRefusal['reason'], 'wrong_tenant'>, string> = {
  session_invalid: 'The manage session cookie is not valid; sign in again with an admin key',
  session_expired: 'The manage session has expired; sign in again with an admin key',
  session_revoked: 'The manage session was signed out; sign in again with an admin key',
  session_key_removed: 'The admin key that opened this manage session is no longer configured',
};

/**
 * Lets a request through only with `Authorization: Bearer <admin key>` for the tenant in the
 * path, or, without an Authorization header, the `better-auth.session_token` cookie of a manage
 * session for that tenant (routes/manage/session.ts). No or unknown credential → 401, another
 * tenant's → 403. A cookie-authenticated write from another origin is 403 (CSRF): browsers
 * attach cookies on their own, never an Authorization header. Anonymous-session JWTs are not
 * admin keys, so they get 401 like any other guess.
 */
export function requireAdminKey(keys: readonly AdminKey[], sessions?: ManageSessions): MiddlewareHandler {
  return async (c, next) => {
    const tenantId = c.req.param('tenantId') ?? '';
    const header = c.req.header('authorization');
    const cookie = sessions && header === undefined ? getCookie(c, MANAGE_SESSION_COOKIE) : undefined;
    if (cookie !== undefined && sessions) {
      await sessionFromCookie(c, sessions, cookie, tenantId);
      return next();
    }
    adminKeyOf(keys, header, tenantId, 'An admin key is required: Authorization: Bearer <key> (or a manage session cookie)');
    await next();
  };
}

/**
 * The admin key of an `Authorization: Bearer` header, checked for `tenantId` (constant time):
 * no key → 401 saying `missingDetail`, an unknown key → 401, another tenant's → 403.
 */
export function adminKeyOf(keys: readonly AdminKey[], header: string | undefined, tenantId: string, missingDetail: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) throw new ServerError('unauthorized', missingDetail, CHALLENGE);
  const result = checkAdminKey(keys, match[1], tenantId);
  if (result === 'unknown_key') throw new ServerError('unauthorized', 'The admin key is not valid', CHALLENGE);
  if (result === 'wrong_tenant') throw new ServerError('forbidden', `The admin key does not grant access to tenant '${tenantId}'`);
  return match[1];
}

/** The 403 of a cookie-authenticated write from another origin. */
export function crossOriginProblem(method: string): ServerError {
  return new ServerError('forbidden', `A ${method} with a manage session cookie must come from this server's own origin`, {
    reason: 'cross_origin_request',
  });
}

/** The 401/403 that says why a session cookie was refused for `tenantId`. */
export function sessionProblem(refusal: SessionRefusal, tenantId: string): ServerError {
  if (refusal.reason === 'wrong_tenant') {
    return new ServerError('forbidden', `The manage session does not grant access to tenant '${tenantId}'`, { reason: refusal.reason });
  }
  return new ServerError('unauthorized', SESSION_REFUSALS[refusal.reason], { ...CHALLENGE, reason: refusal.reason });
}

/** The session a cookie proves for `tenantId`, or the 401/403 that says why not. */
export async function sessionFromCookie(c: Context, sessions: ManageSessions, cookie: string, tenantId: string): Promise<ManageSession> {
  if (isCrossOriginWrite(c)) throw crossOriginProblem(c.req.method);
  const result = await sessions.verify(cookie, tenantId);
  if ('reason' in result) throw sessionProblem(result, tenantId);
  return result;
}
