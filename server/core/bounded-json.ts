import { z } from 'zod';

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

/** A zod piece for such a value: absent or null reads as `null`; too deep or too big is refused. */
export const storedJson = (limits = STORED_JSON_LIMITS) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null) return;
      if (depthOf(value, limits.maxDepth) > limits.maxDepth) {
        ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${limits.maxDepth} levels` });
      } else if (Buffer.byteLength(JSON.stringify(value), 'utf8') > limits.maxBytes) {
        ctx.addIssue({ code: 'custom', message: `must not exceed ${limits.maxBytes} bytes as JSON` });
      }
    })
    .transform((value) => value ?? null);
