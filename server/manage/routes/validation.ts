import type { Context } from 'hono';
import { optionalEnum, parseField, requiredText, RESOURCE_ID_MAX, RESOURCE_ID_PATTERN } from '../../core/body-schema.js';
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

const ID_PARAM = requiredText({ min: 1, max: RESOURCE_ID_MAX, pattern: RESOURCE_ID_PATTERN, patternText: '^[a-zA-Z0-9\\-_.]+$' });

/** Validates a path segment as a resource id. */
export function checkResourceIdParam(field: string, value: string): string {
  return parseField(field, ID_PARAM, value);
}

/** A query parameter whose value, when given, must be one of `values`. */
export function optionalQueryEnum<T extends string>(field: string, value: string | undefined, values: readonly [T, ...T[]]): T | undefined {
  return parseField(field, optionalEnum(values), value);
}
