/** Deepest nesting accepted in a stored JSON field (`{"a":{}}` is depth 2). */
export const MAX_JSON_DEPTH = 10;
/** Largest stored JSON field, in bytes of its UTF-8 JSON text. */
export const MAX_JSON_FIELD_BYTES = 16 * 1024;

/**
 * Why a JSON value may not be stored — nested deeper than {@link MAX_JSON_DEPTH} or larger than
 * {@link MAX_JSON_FIELD_BYTES} once serialised — or `null`. The depth walk is iterative, so a
 * 5 000-level document costs a loop, never the stack.
 */
export function jsonBoundsProblem(value: unknown): string | null {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_JSON_DEPTH) return `must be nested at most ${MAX_JSON_DEPTH} levels deep`;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_FIELD_BYTES) return `must be at most ${MAX_JSON_FIELD_BYTES} bytes as JSON`;
  return null;
}
