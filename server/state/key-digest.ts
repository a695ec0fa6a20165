import { createHash, timingSafeEqual } from 'node:crypto';

/** Longest presented secret worth hashing; real ones are under 64 characters. */
export const MAX_PRESENTED_SECRET = 256;

/** SHA-256 of a secret: the only form of a key any store keeps. */
export const secretDigest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** Constant-time equality of two digests (false when lengths differ). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a presented value is worth hashing at all. */
export const plausibleSecret = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_PRESENTED_SECRET;
