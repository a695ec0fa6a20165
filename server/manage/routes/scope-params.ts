import type { MiddlewareHandler } from 'hono';
import { checkResourceIdParam } from './validation.js';

/**
 * Validates `tenantId` and `projectId` of the manage path as resource ids (400 otherwise), so
 * no store ever receives a scope with separators, controls or option-like text in it.
 */
export function checkScopeParams(): MiddlewareHandler {
  return async (c, next) => {
    checkResourceIdParam('tenantId', c.req.param('tenantId') ?? '');
    checkResourceIdParam('projectId', c.req.param('projectId') ?? '');
    await next();
  };
}
