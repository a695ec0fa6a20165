// What every ALTCHA v1 search shares, whichever kernel hashes: the target parsed into words,
// big-endian word reads, and the argument contract of a search call.

/** The big-endian 32-bit word at `bytes[o..o+3]`. */
export function readWord(bytes: Uint8Array, o: number): number {
  return (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
}

/** The challenge as eight digest words; `undefined` when it is not 64 lowercase hex digits (it can never match). */
export function parseTarget(hex: string): Int32Array | undefined {
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const t = new Int32Array(8);
  for (let i = 0; i < 8; i++) t[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
  return t;
}

/** Throws RangeError unless `from`, `to` are safe integers ≥ 0 and `step` a safe integer ≥ 1. */
export function checkArguments(from: number, to: number, step: number): void {
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`pow search: from must be a safe integer ≥ 0, got ${from}`);
  if (!Number.isSafeInteger(to) || to < 0) throw new RangeError(`pow search: to must be a safe integer ≥ 0, got ${to}`);
  if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`pow search: step must be a safe integer ≥ 1, got ${step}`);
}
