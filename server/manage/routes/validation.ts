import type { Context } from 'hono';
import { parseField, requiredText, RESOURCE_ID_RULE } from '../../core/body-schema.js';
import { MANAGE_JSON_TEXTS, parseJsonObject } from '../../core/json-body.js';

export { invalid } from '../../core/body-schema.js';

/** A JSON object body, or 400 (the manage API's texts). */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  return parseJsonObject(await c.req.text(), MANAGE_JSON_TEXTS);
}

// A path segment: the seed's id rule (the dot segments never reach a route).
const ID_PARAM = requiredText(RESOURCE_ID_RULE);

/** Validates a path segment as a resource id. */
export function checkResourceIdParam(field: string, value: string): string {
  return parseField(field, ID_PARAM, value);
}
