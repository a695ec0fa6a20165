import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings without leaking, through timing, where they differ or how
 * long the expected one is: both sides are hashed to equal-length digests first.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
