import type { Context } from 'hono';
import { parseField, requiredText, RESOURCE_ID_RULE } from '../../core/body-schema.js';
import { ServerError } from '../../core/errors.js';

export { invalid } from '../../core/body-schema.js';

/** A JSON object body, or 400. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ServerError('bad_request', 'Request body must be valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ServerError('bad_request', 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

// A path segment: the seed's id rule (the dot segments never reach a route).
const ID_PARAM = requiredText(RESOURCE_ID_RULE);

/** Validates a path segment as a resource id. */
export function checkResourceIdParam(field: string, value: string): string {
  return parseField(field, ID_PARAM, value);
}
