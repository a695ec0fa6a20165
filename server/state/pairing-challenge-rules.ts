import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { pairingProblem } from '../core/pairing-errors.js';
import type { ServerError } from '../core/errors.js';
import type { PairingChallengeOptions, RedeemAttempt } from './pairing-challenge-store.js';

/** A challenge as every engine stores it. */
export interface StoredChallenge {
  appId: string;
  appName: string;
  codeDigest: Buffer;
  expiresAtMs: number;
  failedAttempts: number;
  state: 'pending' | 'used' | 'dead';
}

/** Options with their defaults applied. */
export type ChallengeRules = Required<PairingChallengeOptions>;

export function challengeRules(options: PairingChallengeOptions = {}): ChallengeRules {
  return {
    ttlMs: options.ttlMs ?? 5 * 60_000,
    maxAttempts: options.maxAttempts ?? 5,
    maxChallenges: options.maxChallenges ?? 1000,
    maxChallengesPerApp: options.maxChallengesPerApp ?? 100,
    now: options.now ?? Date.now,
    generateCode: options.generateCode ?? (() => randomInt(0, 10_000).toString().padStart(4, '0')),
  };
}

export const codeDigest = (code: string): Buffer => createHash('sha256').update(code, 'utf8').digest();

export const newChallengeId = (): string => randomBytes(12).toString('hex');

/** Whether a challenge still counts against the bounds: pending and not yet expired. */
export const isLive = (entry: Pick<StoredChallenge, 'state' | 'expiresAtMs'>, now: number): boolean =>
  entry.state === 'pending' && now < entry.expiresAtMs;

/** A tombstone is kept until one lifetime after expiry; after that the row may be deleted. */
export const forgetAtMs = (expiresAtMs: number, rules: ChallengeRules): number => expiresAtMs + rules.ttlMs;

/**
 * Refusal of a new challenge: `oldestExpiresAtMs` is when the oldest live challenge (of the app,
 * when `forApp`) stops counting, so the wait is at most one lifetime.
 */
export function capacityExhausted(oldestExpiresAtMs: number, now: number, forApp = false): ServerError {
  const retryAfterSeconds = Math.max(1, Math.ceil((oldestExpiresAtMs - now) / 1000));
  const detail = forApp
    ? 'Too many pairing challenges are open for this app; try again later.'
    : 'Too many pairing challenges are open; try again later.';
  return pairingProblem('capacity_exhausted', detail, { retryAfterSeconds });
}

export const challengeNotFound = (): ServerError =>
  pairingProblem('challenge_not_found', 'No such pairing challenge; request a new code.');

/** What a redeem attempt does to a stored challenge; engines apply it atomically. */
export type RedeemVerdict =
  | { outcome: 'redeemed'; next: 'used' }
  | { outcome: 'wrong_code'; next: 'pending' | 'dead'; failedAttempts: number; error: ServerError }
  | { outcome: 'refused'; error: ServerError };

/**
 * The pairing rules of seed 004 for one attempt, shared by every engine so they cannot drift.
 * The app is checked first: an attempt for another app is refused whatever its code.
 */
export function judgeRedeem(entry: StoredChallenge, code: string, now: number, rules: ChallengeRules, attempt: RedeemAttempt = {}): RedeemVerdict {
  if (attempt.appId !== undefined && entry.appId !== attempt.appId) {
    return { outcome: 'refused', error: pairingProblem('app_mismatch', 'This challenge was opened for another app.') };
  }
  if (entry.state === 'used') {
    return { outcome: 'refused', error: pairingProblem('challenge_used', 'This pairing challenge was already used; request a new code.') };
  }
  if (entry.state === 'dead') return { outcome: 'refused', error: locked() };
  if (now >= entry.expiresAtMs) {
    return { outcome: 'refused', error: pairingProblem('challenge_expired', 'This pairing challenge has expired; request a new code.') };
  }
  if (timingSafeEqual(entry.codeDigest, codeDigest(code))) return { outcome: 'redeemed', next: 'used' };
  if (attempt.byCreator === false) {
    // A stranger's wrong code costs the stranger (its own budgets), never the creator's challenge.
    return { outcome: 'refused', error: incorrect(rules.maxAttempts - entry.failedAttempts) };
  }
  const failedAttempts = entry.failedAttempts + 1;
  const attemptsRemaining = rules.maxAttempts - failedAttempts;
  if (attemptsRemaining <= 0) return { outcome: 'wrong_code', next: 'dead', failedAttempts, error: locked() };
  return {
    outcome: 'wrong_code',
    next: 'pending',
    failedAttempts,
    error: incorrect(attemptsRemaining),
  };
}

function incorrect(attemptsRemaining: number): ServerError {
  return pairingProblem('code_incorrect', 'The code is not correct; check it and try again.', { attemptsRemaining });
}

function locked(): ServerError {
  return pairingProblem('challenge_locked', 'Too many wrong codes for this challenge; request a new code.');
}
