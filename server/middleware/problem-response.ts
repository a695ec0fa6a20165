import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { problemBody, type Problem } from '../domain/problem.js';

/**
 * The one renderer of application/problem+json: the body carries the request's path and id,
 * the response `nosniff` and `x-request-id`. `ProblemError` is a `Problem`; pairing maps its
 * `PairingError` to one (routes/pairing.ts).
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
