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

/** A value out of `values`; a missing or null one is told `whenNull` when given, `must be one of …` otherwise. */
function oneOf<T extends string>(values: readonly [T, ...T[]], whenNull?: string) {
  const expected = `must be one of ${values.map((v) => `"${v}"`).join(' | ')}`;
  return z.enum(values, {
    errorMap: (issue) => ({ message: whenNull !== undefined && issue.code === 'invalid_type' && absent(issue.received) ? whenNull : expected }),
  });
}

/** A value out of `values`: anything else, missing and null included, is told `must be one of …`. */
export const enumOf = <T extends string>(values: readonly [T, ...T[]]) => oneOf(values);

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
      const problem = storedObjectProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => value as Record<string, unknown> | null | undefined);

/** A required JSON object, bounded as {@link optionalObject}; null is told `must not be null`. */
export const boundedObject = () =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      const problem = value === null ? 'must not be null' : storedObjectProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, fatal: true });
    })
    .transform((value) => value as Record<string, unknown>);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` may not be stored as a JSON object (not one, or out of {@link jsonBoundsProblem}'s bounds), or null. */
function storedObjectProblem(value: unknown): string | null {
  return isPlainObject(value) ? jsonBoundsProblem(value) : 'must be an object';
}

/** A string of `min`…`max` characters; anything else (missing, null, not a string, too short or long) is told `reason`. */
export const sizedText = (min: number, max: number, reason = `must be a string of ${min} to ${max} characters`) =>
  z.string({ errorMap: () => ({ message: reason }) }).min(min, reason).max(max, reason);

// Custom issues below are fatal: a value that fails them is never handed on to a later check.

/** Refuses the first key of `value` that `known` does not list, naming it: a setting is never dropped silently. */
export function refuseUnknownKeys(value: object, known: readonly string[], ctx: z.RefinementCtx): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) ctx.addIssue({ code: 'custom', path: [unknown], message: 'is not a known setting', fatal: true });
}

/** A JSON object read by `shape`; `known` (when given) are the only keys it may carry. */
function plainObject<S extends z.ZodRawShape>(shape: S, notAnObject: string, known: readonly string[] | null) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (!isPlainObject(value)) ctx.addIssue({ code: 'custom', message: notAnObject, fatal: true });
      else if (known) refuseUnknownKeys(value, known, ctx);
    })
    .pipe(z.object(shape));
}

/** A JSON object (not null, not an array) read by `shape`, other keys ignored; any other value is told `notAnObject`. */
export const objectOf = <S extends z.ZodRawShape>(shape: S, notAnObject: string) => plainObject(shape, notAnObject, null);

/**
 * A JSON object of settings read by `shape`: a key `shape` does not name is refused
 * ({@link refuseUnknownKeys}) before any field is read (zod's `.strict()` reports it after the
 * fields). Any other value than an object is told `notAnObject`.
 */
export const settingsObject = <S extends z.ZodRawShape>(shape: S, notAnObject: string) => plainObject(shape, notAnObject, Object.keys(shape));

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

/** How rules name a field: `config.webClient.allowedDomains[2]` (under `root` when given: `root.kid`, `root[0]`). */
function fieldName(root: string | undefined, path: readonly (string | number)[]): string {
  let name = root;
  for (const part of path) name = typeof part === 'number' ? `${name ?? ''}[${part}]` : name === undefined ? part : `${name}.${part}`;
  return name ?? '';
}

/**
 * `value` as `schema` reads it, or `fail(field, reason)` for its first failing field, named as
 * {@link fieldName} does: for rules whose callers each report a failure their own way.
 */
export function parseOrFail<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  fail: (field: string, reason: string) => never,
  root?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  return fail(fieldName(root, issue?.path ?? []), issue?.message ?? 'is not valid');
}
