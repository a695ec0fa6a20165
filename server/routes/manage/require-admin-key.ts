import type { MiddlewareHandler } from 'hono';
import { checkAdminKey, type AdminKey } from '../../domain/admin-auth.js';
import { ProblemError } from '../../domain/problem.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="ink-auth manage"' };

/**
 * Lets a request through only with `Authorization: Bearer <admin key>` for the
 * tenant in the path: no or unknown key → 401, another tenant's key → 403.
 * Anonymous-session JWTs are not admin keys, so they get 401 like any other guess.
 */
export function requireAdminKey(keys: readonly AdminKey[]): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new ProblemError('unauthorized', 'An admin key is required: Authorization: Bearer <key>', CHALLENGE);
    const tenantId = c.req.param('tenantId') ?? '';
    const result = checkAdminKey(keys, match[1], tenantId);
    if (result === 'unknown_key') throw new ProblemError('unauthorized', 'The admin key is not valid', CHALLENGE);
    if (result === 'wrong_tenant') throw new ProblemError('forbidden', `The admin key does not grant access to tenant '${tenantId}'`);
    await next();
  };
}
