/** A freshly created challenge; `code` goes only to the person in charge of the server. */
export interface CreatedChallenge {
  /** 24 hex characters. */
  challengeId: string;
  /** 4 digits. */
  code: string;
  expiresAt: Date;
}

/** What a correct code unlocks: the app and the name the client gave when it asked. */
export interface RedeemedChallenge {
  appId: string;
  appName: string;
}

/** Tunables shared by every {@link PairingChallengeStore}; every field has a safe default. */
export interface PairingChallengeOptions {
  /** Lifetime of a challenge. Default 5 minutes. */
  ttlMs?: number;
  /** Wrong codes after which a challenge is dead, even for the right code. Default 5. */
  maxAttempts?: number;
  /**
   * Most live challenges (pending and unexpired) at once, for every app together. Default 1000.
   * Tombstones (used, dead or expired challenges kept to explain a late attempt) never count:
   * they cannot keep a newcomer out.
   */
  maxChallenges?: number;
  /** Most live challenges of one app, so one app's pairing cannot fill the store. Default 100. */
  maxChallengesPerApp?: number;
  /** Clock in epoch milliseconds; tests inject one. Default `Date.now`. */
  now?: () => number;
  /** Code source; must be a CSPRNG. Default `crypto.randomInt`. Tests may inject one. */
  generateCode?: () => string;
}

/**
 * Pending pairing challenges: one 4-digit code each (only its SHA-256 is stored), single use,
 * expiring, with a bounded number of wrong attempts. Used and dead challenges stay as
 * tombstones until one lifetime after their expiry so the client is told *why* (used, locked,
 * expired) instead of a bare "not found". In memory (tests), SQLite or PostgreSQL.
 *
 * Failures are thrown as pairing `ServerError`s (`pairingProblem`), by `reason`: `create` → `capacity_exhausted` (with a retry delay) when
 * the store or the app holds as many live challenges as it may;
 * `redeem` → `challenge_not_found`, `challenge_used`, `challenge_locked`, `challenge_expired`,
 * `code_incorrect` (with `attemptsRemaining`). Each redeem is atomic: of two concurrent
 * redeems of one challenge with the right code exactly one succeeds, and concurrent wrong
 * codes are all counted.
 */
/** Who is attempting a redeem, as far as the caller knows. */
export interface RedeemAttempt {
  /** A challenge of another app is refused (`app_mismatch`) before its code is looked at. */
  appId?: string;
  /**
   * `false` when the attempt does not come from the client that created the challenge: a wrong
   * code is then refused without counting against the challenge, so a stranger who learnt the
   * id cannot lock it. Default `true`.
   */
  byCreator?: boolean;
}

export interface PairingChallengeStore {
  /** `challengeId`: the 24-hex id to use (the caller may derive it); default a random one. */
  create(appId: string, appName: string, challengeId?: string): Promise<CreatedChallenge>;
  redeem(challengeId: string, code: string, attempt?: RedeemAttempt): Promise<RedeemedChallenge>;
  /** The app a held challenge (or tombstone) was opened for, or `undefined`; never its code. */
  appOf(challengeId: string): Promise<string | undefined>;
}
