import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { problemBody, type ProblemCode, type ProblemExtensions } from '../domain/problem.js';

/** An application/problem+json response carrying the request's id and path. */
export function problemResponse(
  c: Context<AppEnv>,
  code: ProblemCode,
  detail: string,
  headers: Record<string, string> = {},
  extensions: ProblemExtensions = {},
): Response {
  const requestId = c.get('requestId');
  const body = problemBody(code, detail, c.req.path, requestId, extensions);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      ...headers,
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
  });
}
