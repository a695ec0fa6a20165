import type { MiddlewareHandler } from 'hono';

/**
 * For the routes whose seed gives the error body `{details, error, message}` instead of
 * problem+json (seed 002's credential DELETE): one body serves both readers, the problem+json
 * members (`title`, `status`, `detail`, `code`, `instance`, `requestId`) plus the seed's keys:
 * `error` is the title (a string here, as the seed says, where other routes nest `{code, message}`),
 * `message` the detail and `details` null. Status and headers are unchanged.
 */
export function seedErrorBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.get('content-type')?.startsWith('application/problem+json')) return;
    const problem = (await c.res.clone().json()) as { title: string; detail: string };
    const body = { ...problem, error: problem.title, message: problem.detail, details: null };
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(JSON.stringify(body), { status: c.res.status, headers });
  };
}
