import type { Context } from 'hono';
import { ServerError } from '../../core/errors.js';
import { jsonBoundsProblem } from '../../core/json-bounds.js';

/** The seed's resource id rule: `^[a-zA-Z0-9\-_.]+$`, 1…255 characters. */
export const RESOURCE_ID_PATTERN = /^[a-zA-Z0-9\-_.]+$/;
export const RESOURCE_ID_MAX = 255;

/** Throws the 400 every validation failure becomes: the field and the reason. */
export function invalid(field: string, reason: string): never {
  throw new ServerError('bad_request', `Validation failed: '${field}' ${reason}`);
}

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

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}

function checkString(field: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') invalid(field, 'must be a string');
  if (rule.min !== undefined && value.length < rule.min) {
    invalid(field, rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`);
  }
  if (rule.max !== undefined && value.length > rule.max) invalid(field, `must be at most ${rule.max} characters`);
  if (rule.pattern && !rule.pattern.test(value)) invalid(field, `must match ${rule.patternText ?? rule.pattern.source}`);
  return value;
}

/** A required string field. */
export function requiredString(body: Record<string, unknown>, field: string, rule: StringRule = {}): string {
  if (body[field] === undefined || body[field] === null) invalid(field, 'is required');
  return checkString(field, body[field], rule);
}

/** An optional string field: `undefined` when absent, `null` when explicitly null. */
export function optionalString(body: Record<string, unknown>, field: string, rule: StringRule = {}): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  return checkString(field, value, rule);
}

const ID_RULE: StringRule = { min: 1, max: RESOURCE_ID_MAX, pattern: RESOURCE_ID_PATTERN, patternText: '^[a-zA-Z0-9\\-_.]+$' };

// `.` and `..` match the seed's pattern, but every URL parser (fetch, curl, proxies) resolves
// them as dot segments before the request leaves, so `…/credentials/..` can never reach the
// resource: such an id could be created and then never read, changed or deleted.
const DOT_SEGMENTS: ReadonlySet<string> = new Set(['.', '..']);

function checkResourceId(field: string, value: unknown): string {
  const id = checkString(field, value, ID_RULE);
  if (DOT_SEGMENTS.has(id)) invalid(field, `must not be "${id}" (a URL path cannot address it)`);
  return id;
}

/** A required resource id (seed rule, minus the unaddressable `.` and `..`). */
export function requiredResourceId(body: Record<string, unknown>, field: string): string {
  if (body[field] === undefined || body[field] === null) invalid(field, 'is required');
  return checkResourceId(field, body[field]);
}

/** An optional resource id (as {@link requiredResourceId}); null is not allowed. */
export function optionalResourceId(body: Record<string, unknown>, field: string): string | undefined {
  if (body[field] === null) invalid(field, 'must not be null');
  return body[field] === undefined ? undefined : checkResourceId(field, body[field]);
}

/** Validates a path segment as a resource id. */
export function checkResourceIdParam(field: string, value: string): string {
  return checkString(field, value, ID_RULE);
}

/** A field whose value must be one of `values`. */
export function optionalEnum<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    invalid(field, `must be one of ${values.map((v) => `"${v}"`).join(' | ')}`);
  }
  return value as T;
}

/** Like `optionalEnum`, but absent or null is a failure. */
export function requiredEnum<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[]): T {
  if (body[field] === undefined || body[field] === null) invalid(field, 'is required');
  return optionalEnum(body, field, values) as T;
}

/**
 * A plain JSON object (not an array), or null / undefined. Bounded in depth and size
 * ({@link jsonBoundsProblem}), since every object field is stored or passed on to a store.
 */
export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'object' || Array.isArray(value)) invalid(field, 'must be an object');
  const tooBig = jsonBoundsProblem(value);
  if (tooBig) invalid(field, tooBig);
  return value as Record<string, unknown>;
}
