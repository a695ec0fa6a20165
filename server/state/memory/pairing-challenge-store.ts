import type {
  CreatedChallenge,
  PairingChallengeOptions,
  PairingChallengeStore,
  RedeemAttempt,
  RedeemedChallenge,
} from '../pairing-challenge-store.js';
import {
  capacityExhausted,
  challengeNotFound,
  challengeRules,
  codeDigest,
  forgetAtMs,
  isLive,
  judgeRedeem,
  newChallengeId,
  type ChallengeRules,
  type StoredChallenge,
} from '../pairing-challenge-rules.js';

/** {@link PairingChallengeStore} in one process's memory, bounded by `maxChallenges`. */
export class MemoryPairingChallengeStore implements PairingChallengeStore {
  readonly #entries = new Map<string, StoredChallenge>();
  readonly #rules: ChallengeRules;

  constructor(options: PairingChallengeOptions = {}) {
    this.#rules = challengeRules(options);
  }

  /** Number of challenges currently held (including tombstones). */
  get size(): number {
    return this.#entries.size;
  }

  async create(appId: string, appName: string, requestedId?: string): Promise<CreatedChallenge> {
    const now = this.#rules.now();
    this.#prune(now);
    const live = [...this.#entries.values()].filter((entry) => isLive(entry, now));
    if (live.length >= this.#rules.maxChallenges) throw capacityExhausted(live[0]!.expiresAtMs, now);
    const ofApp = live.filter((entry) => entry.appId === appId);
    if (ofApp.length >= this.#rules.maxChallengesPerApp) throw capacityExhausted(ofApp[0]!.expiresAtMs, now, true);
    this.#dropTombstonesBeyond(2 * this.#rules.maxChallenges - 1, now);
    let challengeId = requestedId ?? newChallengeId();
    while (this.#entries.has(challengeId)) challengeId = newChallengeId();
    const code = this.#rules.generateCode();
    const expiresAtMs = now + this.#rules.ttlMs;
    this.#entries.set(challengeId, {
      appId,
      appName,
      codeDigest: codeDigest(code),
      expiresAtMs,
      failedAttempts: 0,
      state: 'pending',
    });
    return { challengeId, code, expiresAt: new Date(expiresAtMs) };
  }

  async appOf(challengeId: string): Promise<string | undefined> {
    this.#prune(this.#rules.now());
    return this.#entries.get(challengeId)?.appId;
  }

  async redeem(challengeId: string, code: string, attempt: RedeemAttempt = {}): Promise<RedeemedChallenge> {
    const now = this.#rules.now();
    this.#prune(now);
    const entry = this.#entries.get(challengeId);
    if (!entry) throw challengeNotFound();
    const verdict = judgeRedeem(entry, code, now, this.#rules, attempt);
    if (verdict.outcome === 'refused') throw verdict.error;
    if (verdict.outcome === 'wrong_code') {
      entry.failedAttempts = verdict.failedAttempts;
      entry.state = verdict.next;
      throw verdict.error;
    }
    entry.state = 'used';
    return { appId: entry.appId, appName: entry.appName };
  }

  // Tombstones only explain late attempts: when memory is tight the oldest go first, never a
  // live challenge (there are at most maxChallenges of those).
  #dropTombstonesBeyond(limit: number, now: number): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= limit) return;
      if (!isLive(entry, now)) this.#entries.delete(id);
    }
  }

  // Entries are inserted in expiry order (one TTL, monotonic-enough clock), so pruning stops at
  // the first entry still inside its tombstone window.
  #prune(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now < forgetAtMs(entry.expiresAtMs, this.#rules)) break;
      this.#entries.delete(id);
    }
  }
}
