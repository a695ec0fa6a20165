import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';
import { codeForStatus, problemBody, ProblemError, type Problem } from '../domain/problem.js';
import { StoreUnavailableError } from '../store/store-errors.js';

/**
 * The one renderer of application/problem+json: the body carries the request's path and id,
 * the response `nosniff` and `x-request-id`. `ProblemError` (pairing failures included) is a `Problem`.
 */
export function problemResponse(c: Context<AppEnv>, problem: Problem): Response {
  const requestId = c.get('requestId') as string | undefined;
  const body = problemBody(problem.code, problem.detail, c.req.path, requestId || undefined, problem.extensions, problem.publicDetail);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      ...problem.headers,
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
  });
}

/**
 * The app's error handler: a `ProblemError` is answered as it says; an unavailable store is 503
 * with `Retry-After`; a framework 4xx keeps its status; anything else is a generic 500 whose
 * log line names only the error's class (messages of foreign errors may quote input).
 */
export function problemErrorHandler(log: (line: string) => void): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err);
    if (err instanceof StoreUnavailableError) {
      return problemResponse(c, { code: 'service_unavailable', detail: err.detail, headers: { 'retry-after': String(err.retryAfterSeconds) } });
    }
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, { code: codeForStatus(err.status), detail: err.message || 'Request could not be processed.' });
    }
    log(`error ${c.get('requestId')} ${c.req.method} ${c.req.path}: ${err.name}`);
    return problemResponse(c, { code: 'internal_server_error', detail: 'Internal Server Error' });
  };
}
