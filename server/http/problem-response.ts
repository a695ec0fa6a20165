import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ServerError } from '../core/errors.js';
import type { AppEnv } from './env.js';
import { codeForStatus, problemBody } from './problem.js';

/** The response headers an error asks for, beside the content type. */
function headersOf(error: ServerError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.noStore) headers['cache-control'] = 'no-store';
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.authenticate !== undefined) headers['www-authenticate'] = error.authenticate;
  if (error.closeConnection) headers['connection'] = 'close';
  return headers;
}

/**
 * The one renderer of application/problem+json: a `ServerError` becomes its status, headers and
 * body; the body carries the request's path and id, the response `nosniff` and `x-request-id`.
 */
export function problemResponse(c: Context<AppEnv>, error: ServerError): Response {
  const requestId = c.get('requestId') as string | undefined;
  const extensions = { ...(error.reason !== undefined ? { reason: error.reason } : {}), ...error.extensions };
  const body = problemBody(error.code, error.detail, c.req.path, requestId || undefined, extensions, error.publicDetail);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      ...headersOf(error),
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
  });
}

/**
 * The app's error handler, the one place errors become answers: a `ServerError` (whatever its
 * subclass) is answered as its code says; a framework 4xx keeps its status; anything else is a
 * bug, a generic 500 whose log line names only the error's class (messages of foreign errors may
 * quote input).
 */
export function problemErrorHandler(log: (line: string) => void): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof ServerError) return problemResponse(c, err);
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, new ServerError(codeForStatus(err.status), err.message || 'Request could not be processed.'));
    }
    log(`error ${c.get('requestId')} ${c.req.method} ${c.req.path}: ${err.name}`);
    return problemResponse(c, new ServerError('internal_server_error', 'Internal Server Error'));
  };
}
