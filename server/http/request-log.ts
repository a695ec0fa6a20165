import type { MiddlewareHandler } from 'hono';
import { requestId as honoRequestId } from 'hono/request-id';
import type { AppEnv } from './env.js';
import { newRequestId } from './request-id.js';

/** One line of the request log, handed to `onRequest`. Carries no headers or bodies. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  requestId: string;
  durationMs: number;
}

/**
 * Hono's request-id middleware with our ids. `headerName: ''` makes it ignore a client's
 * `x-request-id`: an id in our logs is always one this server made.
 */
export const requestIds = (): MiddlewareHandler<AppEnv> => honoRequestId({ headerName: '', generator: () => newRequestId() });

/**
 * Sends the request's id (`x-request-id` on every response) and reports one log entry per
 * request: method, path (never the query), status, id, duration. Runs after
 * {@link requestIds}. Headers and bodies are never logged, so tokens and secrets cannot end up there.
 */
export function requestLog(options: {
  onRequest?: (entry: RequestLogEntry) => void;
  log?: (line: string) => void;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.header('x-request-id', requestId);
    await next();
    if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', requestId);
    const entry: RequestLogEntry = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      requestId,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    options.onRequest?.(entry);
    options.log?.(`${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms ${entry.requestId}`);
  };
}
