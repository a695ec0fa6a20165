import { createChallenge, extractParams } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';
import { constantTimeEqual } from '../core/constant-time.js';
import type { SolutionCheck } from './pow-types.js';

const ALGORITHM = 'SHA-256';

/** A v1 challenge as served: ALTCHA's fields plus `expiresAt` (epoch ms), as the hosted server adds it. */
export type V1Challenge = Challenge & { expiresAt: number };

/**
 * An ALTCHA v1 challenge, `expires` carried in the salt (whole seconds), signed with the HMAC
 * secret. `expiresAt` is that same instant in milliseconds, so a client never believes a challenge
 * lives longer than the server will accept it; it is outside the signature and never trusted.
 */
export async function issueV1Challenge(hmacKey: string, maxnumber: number, expires: Date): Promise<V1Challenge> {
  const challenge = await createChallenge({ algorithm: ALGORITHM, hmacKey, maxnumber, expires });
  const seconds = Number(extractParams(challenge).expires);
  return { ...challenge, expiresAt: seconds * 1000 };
}

interface V1Payload {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

function isV1Payload(value: unknown): value is V1Payload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.algorithm === 'string' &&
    typeof p.challenge === 'string' &&
    typeof p.salt === 'string' &&
    typeof p.signature === 'string' &&
    typeof p.number === 'number' &&
    Number.isSafeInteger(p.number) &&
    p.number >= 0
  );
}

/**
 * Checks a decoded v1 payload: shape, expiry from the salt, then the challenge
 * hash and its HMAC, recomputed with altcha-lib and compared in constant time.
 */
export async function checkV1Solution(decoded: unknown, hmacKey: string, nowMs: number): Promise<SolutionCheck> {
  if (!isV1Payload(decoded) || decoded.algorithm !== ALGORITHM) return { ok: false, reason: 'malformed' };
  const expires = extractParams({ salt: decoded.salt } as Challenge).expires;
  if (expires === undefined || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'invalid' };
  const expiresAtMs = Number(expires) * 1000;
  if (expiresAtMs < nowMs) return { ok: false, reason: 'expired' };
  const expected = await createChallenge({
    algorithm: ALGORITHM,
    hmacKey,
    number: decoded.number,
    salt: decoded.salt,
  });
  // Evaluate both comparisons so the timing does not reveal which one failed.
  const challengeOk = constantTimeEqual(expected.challenge, decoded.challenge);
  const signatureOk = constantTimeEqual(expected.signature, decoded.signature);
  if (!(challengeOk && signatureOk)) return { ok: false, reason: 'invalid' };
  return { ok: true, replayKey: `v1:${decoded.signature}`, expiresAtMs };
}
