import { ServerError } from './errors.js';

/** Bounds of a free-form JSON value a client may have stored (feedback details, event properties). */
export const STORED_JSON_LIMITS = { maxBytes: 4096, maxDepth: 8 } as const;

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || typeof value !== 'object' || value === null) return depth;
  let deepest = depth;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}

/**
 * `value` when it is small and shallow enough to store, `null` when absent.
 * @throws ServerError 400 naming the field and the bound it exceeds.
 */
export function boundedJson(field: string, value: unknown, limits = STORED_JSON_LIMITS): unknown {
  if (value === undefined || value === null) return null;
  if (depthOf(value, limits.maxDepth) > limits.maxDepth) {
    throw new ServerError('bad_request', `Validation failed: '${field}' must not nest deeper than ${limits.maxDepth} levels`);
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > limits.maxBytes) {
    throw new ServerError('bad_request', `Validation failed: '${field}' must not exceed ${limits.maxBytes} bytes as JSON`);
  }
  return value;
}
