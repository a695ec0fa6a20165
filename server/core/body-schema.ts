import { z } from 'zod';
import { ServerError } from './errors.js';
import { jsonBoundsProblem } from './json-bounds.js';

// Request bodies are checked by zod schemas built from the pieces below. Every failure is the
// one 400 the manage API has always sent, `Validation failed: '<field>' <reason>`, naming the
// first field that fails in the schema's key order (which is the order the fields are read).


export interface TextRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** How the pattern is named in the failure (default: its source). */
  patternText?: string;
}

/** Whether a zod `invalid_type` issue's `received` means the value was left out (or null). */
export const absent = (received: string) => received === 'undefined' || received === 'null';

/**
 * A string field. `whenNull` is what a null (or, for a required field, a missing) value is told:
 * `is required` for a required field, `must not be null` for an optional one that may not be null.
 */
function text(rule: TextRule, whenNull: string) {
  let schema = z.string({
    errorMap: (issue) => ({ message: issue.code === 'invalid_type' && absent(issue.received) ? whenNull : 'must be a string' }),
  });
  if (rule.min !== undefined) schema = schema.min(rule.min, rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`);
  if (rule.max !== undefined) schema = schema.max(rule.max, `must be at most ${rule.max} characters`);
  if (rule.pattern) schema = schema.regex(rule.pattern, `must match ${rule.patternText ?? rule.pattern.source}`);
  return schema;
}

/** A required string: missing or null is `is required`. */
export const requiredText = (rule: TextRule = {}) => text(rule, 'is required');

/** An optional string: absent stays `undefined`, an explicit null stays `null`. */
export const optionalText = (rule: TextRule = {}) => text(rule, 'is required').nullish();

/** An optional string that may be left out but not set to null. */
export const optionalNonNullText = (rule: TextRule = {}) => text(rule, 'must not be null').optional();

// `.` and `..` match the seed's pattern, but every URL parser (fetch, curl, proxies) resolves
// them as dot segments before the request leaves, so `…/credentials/..` can never reach the
// resource: such an id could be created and then never read, changed or deleted.
const DOT_SEGMENTS: ReadonlySet<string> = new Set(['.', '..']);

/** The seed's resource id rule: `^[a-zA-Z0-9\-_.]+$`, 1…255 characters. */
export const RESOURCE_ID_RULE: TextRule = { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_.]+$/, patternText: '^[a-zA-Z0-9\\-_.]+$' };

function resourceId(whenNull: string) {
  return text(RESOURCE_ID_RULE, whenNull).superRefine((id, ctx) => {
    if (DOT_SEGMENTS.has(id)) ctx.addIssue({ code: 'custom', message: `must not be "${id}" (a URL path cannot address it)` });
  });
}

/** A required resource id (the seed's rule, minus the unaddressable `.` and `..`). */
export const requiredResourceId = () => resourceId('is required');

/** An optional resource id (as {@link requiredResourceId}); null is not allowed. */
export const optionalResourceId = () => resourceId('must not be null').optional();

function oneOf<T extends string>(values: readonly [T, ...T[]], whenNull: string) {
  const expected = `must be one of ${values.map((v) => `"${v}"`).join(' | ')}`;
  return z.enum(values, {
    errorMap: (issue) => ({ message: issue.code === 'invalid_type' && absent(issue.received) ? whenNull : expected }),
  });
}

/** A required value out of `values`. */
export const requiredEnum = <T extends string>(values: readonly [T, ...T[]]) => oneOf(values, 'is required');

/** An optional value out of `values`; null is not allowed. */
export const optionalEnum = <T extends string>(values: readonly [T, ...T[]]) => oneOf(values, 'must not be null').optional();

/**
 * A plain JSON object (not an array), or null / undefined, bounded in depth and size
 * ({@link jsonBoundsProblem}), since every object field is stored or passed on to a store.
 */
export const optionalObject = () =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null) return;
      if (typeof value !== 'object' || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', message: 'must be an object' });
        return;
      }
      const tooBig = jsonBoundsProblem(value);
      if (tooBig) ctx.addIssue({ code: 'custom', message: tooBig });
    })
    .transform((value) => value as Record<string, unknown> | null | undefined);

/** The 400 every validation failure becomes: the field and the reason. */
export function invalid(field: string, reason: string): never {
  throw new ServerError('bad_request', `Validation failed: '${field}' ${reason}`);
}

/** `value` as `schema` reads it, or the 400 naming its first failing field (`field`, then the issue's path). */
export function parseField<S extends z.ZodTypeAny>(field: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  invalid([field, ...(issue?.path ?? [])].filter((part) => part !== '').join('.'), issue?.message ?? 'is not valid');
}

/** `body` as `schema` (an object schema) reads it, or the 400 naming its first failing field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  return parseField('', schema, body);
}
