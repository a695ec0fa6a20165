import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import type { Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { SolutionCheck } from './pow-types.js';

const ALGORITHM = 'SHA-256';

/**
 * An altcha-lib v2 challenge in deterministic mode: the key prefix comes from a
 * secret counter below `difficulty`, so the expected work matches v1's `maxnumber`.
 */
export async function issueV2Challenge(hmacKey: string, difficulty: number, expires: Date): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: 1,
    counter: randomInt(difficulty),
    deriveKey,
    expiresAt: expires,
    hmacSignatureSecret: hmacKey,
  });
}

interface V2Payload {
  challenge: Challenge;
  solution: { counter: number; derivedKey: string };
}

function isV2Payload(value: unknown): value is V2Payload {
  if (typeof value !== 'object' || value === null) return false;
  const { challenge, solution } = value as Record<string, unknown>;
  if (typeof challenge !== 'object' || challenge === null) return false;
  if (typeof solution !== 'object' || solution === null) return false;
  const { parameters, signature } = challenge as Record<string, unknown>;
  const { counter, derivedKey } = solution as Record<string, unknown>;
  if (typeof parameters !== 'object' || parameters === null || typeof signature !== 'string') return false;
  const p = parameters as Record<string, unknown>;
  return (
    typeof p.algorithm === 'string' &&
    typeof p.nonce === 'string' &&
    typeof p.salt === 'string' &&
    typeof p.keyPrefix === 'string' &&
    typeof counter === 'number' &&
    typeof derivedKey === 'string'
  );
}

/** Checks a decoded v2 payload with altcha-lib's own verifier (signature, expiry, key). */
export async function checkV2Solution(decoded: unknown, hmacKey: string, nowMs: number): Promise<SolutionCheck> {
  if (!isV2Payload(decoded) || decoded.challenge.parameters.algorithm !== ALGORITHM) {
    return { ok: false, reason: 'malformed' };
  }
  const { challenge, solution } = decoded;
  const expiresAt = challenge.parameters.expiresAt;
  // Every challenge we issue carries an expiry; one without it is not ours.
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return { ok: false, reason: 'invalid' };
  if (expiresAt * 1000 < nowMs) return { ok: false, reason: 'expired' };
  let verified = false;
  try {
    const result = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: hmacKey });
    if (result.expired) return { ok: false, reason: 'expired' };
    verified = result.verified;
  } catch {
    // Non-hex nonce or salt, out-of-range counter: the library throws on input no solver produces.
    verified = false;
  }
  if (!verified) return { ok: false, reason: 'invalid' };
  return { ok: true, replayKey: `v2:${challenge.signature ?? ''}`, expiresAtMs: expiresAt * 1000 };
}
