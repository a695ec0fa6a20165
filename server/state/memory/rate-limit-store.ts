import type { RateDecision, RateLimitStore, RateRule } from '../rate-limit-store.js';
import { checkRule, decide, refilled, type BucketState } from '../token-bucket.js';

/** Tunables of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Most keys tracked; the least recently seen key is forgotten first. Default 10 000. */
  maxKeys?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/**
 * {@link RateLimitStore} in one process's memory. Bounded by `maxKeys`: a forgotten key starts
 * again with a full bucket, which only ever errs towards allowing a little more, never towards
 * locking out a stranger.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, BucketState>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  async take(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    checkRule(rule, cost);
    const bucket = this.#refill(key, rule);
    const decision = decide(bucket.tokens, rule, cost);
    if (decision.allowed) bucket.tokens -= cost;
    return decision;
  }

  async peek(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    checkRule(rule, cost);
    return decide(this.#refill(key, rule).tokens, rule, cost);
  }

  #refill(key: string, rule: RateRule): BucketState {
    const now = this.#now();
    const existing = this.#buckets.get(key);
    // Re-inserting keeps the Map in least-recently-seen order for eviction.
    if (existing) this.#buckets.delete(key);
    const bucket = { tokens: refilled(existing, rule, now), updatedAtMs: now };
    this.#buckets.set(key, bucket);
    while (this.#buckets.size > this.#maxKeys) {
      this.#buckets.delete(this.#buckets.keys().next().value as string);
    }
    return bucket;
  }
}
