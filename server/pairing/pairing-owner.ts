import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Challenge ids that carry who created them, without storing it: 12 random hex characters and
 * 12 of HMAC(key, random ‖ creator address). The server can tell whether an attempt comes from
 * the challenge's creator; nobody without the key can forge an id for another address. 48
 * random bits still make a live id unguessable (at most 1 000 live among 2^48).
 */
const RANDOM_BYTES = 6;
const TAG_BYTES = 6;

function tagOf(key: Buffer, random: string, address: string): Buffer {
  return createHmac('sha256', key).update(`${random}|${address}`).digest().subarray(0, TAG_BYTES);
}

/** A fresh 24-hex challenge id tagged with its creator's address. */
export function ownedChallengeId(key: Buffer, creatorAddress: string): string {
  const random = randomBytes(RANDOM_BYTES).toString('hex');
  return random + tagOf(key, random, creatorAddress).toString('hex');
}

/** Whether `address` created `challengeId` (constant-time comparison of the tag). */
export function createdBy(key: Buffer, challengeId: string, address: string): boolean {
  if (!/^[0-9a-f]{24}$/.test(challengeId)) return false;
  const random = challengeId.slice(0, RANDOM_BYTES * 2);
  const tag = Buffer.from(challengeId.slice(RANDOM_BYTES * 2), 'hex');
  return timingSafeEqual(tag, tagOf(key, random, address));
}

/** The tagging key from a server secret (shared by every instance that shares the secret). */
export function challengeOwnerKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('ink-auth pairing challenge owner v1').digest();
}
