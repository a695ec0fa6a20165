import type { Challenge as AltchaV2Challenge } from 'altcha/lib';
import { InkAuthError } from '../errors.js';

/** ALTCHA v1 challenge, as issued by the hosted API and `altcha-lib/v1`. */
export interface PowChallengeV1 {
  format: 'v1';
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

/** ALTCHA v2 challenge (the `altcha` package's format): key-derivation parameters plus a signature. */
export interface PowChallengeV2 {
  format: 'v2';
  challenge: AltchaV2Challenge;
}

export type PowChallenge = PowChallengeV1 | PowChallengeV2;

/** Default `maxnumber` of ALTCHA v1 when a challenge omits it. */
const V1_DEFAULT_MAX = 1_000_000;
/** Refuse v1 challenges whose search space would keep the pool busy for minutes. */
const V1_MAX_MAXNUMBER = 100_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Recognises a challenge body as ALTCHA v1 or v2; anything else is `unsupported_challenge`. */
export function parseChallenge(body: unknown): PowChallenge {
  if (!isRecord(body)) throw new InkAuthError('invalid_response', 'The challenge response is not a JSON object.');
  if (isRecord(body.parameters)) {
    const p = body.parameters;
    if (typeof p.algorithm !== 'string' || typeof p.nonce !== 'string' || typeof p.salt !== 'string' || typeof p.keyPrefix !== 'string' || typeof p.cost !== 'number') {
      throw new InkAuthError('unsupported_challenge', 'The v2 challenge lacks algorithm, nonce, salt, keyPrefix or cost.');
    }
    return { format: 'v2', challenge: body as unknown as AltchaV2Challenge };
  }
  const { algorithm, challenge, salt, signature } = body;
  const max = body.maxnumber ?? body.maxNumber ?? V1_DEFAULT_MAX;
  if (typeof challenge !== 'string' || !/^[0-9a-f]{64}$/i.test(challenge) || typeof salt !== 'string' || typeof signature !== 'string') {
    throw new InkAuthError('unsupported_challenge', 'The challenge is neither ALTCHA v1 nor v2.');
  }
  if (algorithm !== 'SHA-256') throw new InkAuthError('unsupported_challenge', `Unsupported v1 algorithm ${String(algorithm)}.`);
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > V1_MAX_MAXNUMBER) {
    throw new InkAuthError('unsupported_challenge', 'The v1 challenge has an invalid maxnumber.');
  }
  return { format: 'v1', algorithm, challenge: challenge.toLowerCase(), maxnumber: max, salt, signature };
}

/**
 * Size of the search space when the challenge reveals it: v1's `maxnumber + 1`, or 16^n for a v2
 * key prefix of n hex digits. A deterministic v2 challenge (prefix = half the key) hides its
 * bound: `null`, and progress then reports hashes without a fraction.
 */
export function searchSpace(challenge: PowChallenge): number | null {
  if (challenge.format === 'v1') return challenge.maxnumber + 1;
  const digits = challenge.challenge.parameters.keyPrefix.length;
  return digits <= 12 ? 16 ** digits : null;
}

function base64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The `x-inkeep-challenge-solution` header value for a solved v1 challenge. */
export function encodeV1Solution(challenge: PowChallengeV1, number: number, tookMs: number): string {
  const { algorithm, salt, signature } = challenge;
  return base64Json({ algorithm, challenge: challenge.challenge, number, salt, signature, took: tookMs });
}

/** The header value for a solved v2 challenge: ALTCHA's `{challenge, solution}` payload. */
export function encodeV2Solution(challenge: PowChallengeV2, solution: { counter: number; derivedKey: string; time?: number }): string {
  const { codeChallenge: _omitted, ...rest } = challenge.challenge;
  return base64Json({ challenge: rest, solution });
}
