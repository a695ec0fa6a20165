import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { PairingError } from './pairing-errors.js';

/** Tunables of a {@link ChallengeStore}; every field has a safe default. */
export interface ChallengeStoreOptions {
  /** Lifetime of a challenge. Default 5 minutes. */
  ttlMs?: number;
  /** Wrong codes after which a challenge is dead, even for the right code. Default 5. */
  maxAttempts?: number;
  /** Most challenges held at once (pending, used or dead). Default 1000. */
  maxChallenges?: number;
  /** Clock in epoch milliseconds; tests inject one. Default `Date.now`. */
  now?: () => number;
  /** Code source; must be a CSPRNG. Default `crypto.randomInt`. Tests may inject one. */
  generateCode?: () => string;
}

/** A freshly created challenge; `code` goes only to the person in charge of the server. */
export interface CreatedChallenge {
  challengeId: string;
  code: string;
  expiresAt: Date;
}

/** What a correct code unlocks: the app and the name the client gave when it asked. */
export interface RedeemedChallenge {
  appId: string;
  appName: string;
}

interface Entry {
  appId: string;
  appName: string;
  codeDigest: Buffer;
  expiresAt: number;
  failedAttempts: number;
  state: 'pending' | 'used' | 'dead';
}

const digest = (code: string): Buffer => createHash('sha256').update(code, 'utf8').digest();

function cryptoCode(): string {
  return randomInt(0, 10_000).toString().padStart(4, '0');
}

/**
 * Pending pairing challenges: one 4-digit code each, single use, expiring, with a bounded
 * number of wrong attempts. In memory and bounded; used and dead challenges are kept as
 * tombstones until one lifetime after their expiry so the client is told *why* (used, locked,
 * expired) instead of a bare "not found".
 */
export class ChallengeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxAttempts: number;
  readonly #maxChallenges: number;
  readonly #now: () => number;
  readonly #generateCode: () => string;

  constructor(options: ChallengeStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#maxChallenges = options.maxChallenges ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#generateCode = options.generateCode ?? cryptoCode;
  }

  /** Number of challenges currently held (including tombstones). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Creates a challenge for `appId`. Throws `capacity_exhausted` (with a retry delay) when the
   * store is full of live challenges.
   */
  create(appId: string, appName: string): CreatedChallenge {
    const now = this.#now();
    this.#prune(now);
    if (this.#entries.size >= this.#maxChallenges) {
      const oldest = this.#entries.values().next().value as Entry;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest.expiresAt + this.#ttlMs - now) / 1000));
      throw new PairingError('capacity_exhausted', 'Too many pairing challenges are open; try again later.', {
        retryAfterSeconds,
      });
    }
    let challengeId = randomBytes(12).toString('hex');
    while (this.#entries.has(challengeId)) challengeId = randomBytes(12).toString('hex');
    const code = this.#generateCode();
    const expiresAt = now + this.#ttlMs;
    this.#entries.set(challengeId, {
      appId,
      appName,
      codeDigest: digest(code),
      expiresAt,
      failedAttempts: 0,
      state: 'pending',
    });
    return { challengeId, code, expiresAt: new Date(expiresAt) };
  }

  /** The app a held challenge (or tombstone) was opened for, or `undefined`; never its code. */
  appOf(challengeId: string): string | undefined {
    this.#prune(this.#now());
    return this.#entries.get(challengeId)?.appId;
  }

  /**
   * Exchanges a challenge and its code. On success the challenge is spent. A wrong code keeps
   * the challenge for a retry (`code_incorrect`, with `attemptsRemaining`) until the limit,
   * after which it is dead (`challenge_locked`) and even the right code fails. With
   * `expectedAppId`, a challenge of another app is refused (`app_mismatch`) before the code is
   * looked at, so neither a right nor a wrong code changes it.
   */
  redeem(challengeId: string, code: string, expectedAppId?: string): RedeemedChallenge {
    const now = this.#now();
    this.#prune(now);
    const entry = this.#entries.get(challengeId);
    if (!entry) throw new PairingError('challenge_not_found', 'No such pairing challenge; request a new code.');
    if (expectedAppId !== undefined && entry.appId !== expectedAppId) {
      throw new PairingError('app_mismatch', 'This challenge was opened for another app.');
    }
    if (entry.state === 'used') {
      throw new PairingError('challenge_used', 'This pairing challenge was already used; request a new code.');
    }
    if (entry.state === 'dead') {
      throw new PairingError('challenge_locked', 'Too many wrong codes for this challenge; request a new code.');
    }
    if (now >= entry.expiresAt) {
      throw new PairingError('challenge_expired', 'This pairing challenge has expired; request a new code.');
    }
    if (!timingSafeEqual(entry.codeDigest, digest(code))) {
      entry.failedAttempts += 1;
      const attemptsRemaining = this.#maxAttempts - entry.failedAttempts;
      if (attemptsRemaining <= 0) {
        entry.state = 'dead';
        throw new PairingError('challenge_locked', 'Too many wrong codes for this challenge; request a new code.');
      }
      throw new PairingError('code_incorrect', 'The code is not correct; check it and try again.', {
        extensions: { attemptsRemaining },
      });
    }
    entry.state = 'used';
    return { appId: entry.appId, appName: entry.appName };
  }

  // Entries are inserted in expiry order (one TTL, monotonic-enough clock), so pruning stops at
  // the first entry still inside its tombstone window.
  #prune(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now < entry.expiresAt + this.#ttlMs) break;
      this.#entries.delete(id);
    }
  }
}
