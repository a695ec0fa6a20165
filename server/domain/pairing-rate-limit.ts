/** Tunables of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Events allowed at once per key (bucket size). */
  burst: number;
  /** Events regained per minute per key. */
  perMinute: number;
  /** Most keys tracked; the least recently seen key is forgotten first. Default 10 000. */
  maxKeys?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** Outcome of {@link RateLimiter.take}: allowed, or refused with the seconds to wait. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token-bucket limiter keyed by client address (or any string). Memory is bounded by
 * `maxKeys`: a forgotten key starts again with a full bucket, which only ever errs towards
 * allowing a little more, never towards locking out a stranger.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #burst: number;
  readonly #msPerToken: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    if (!(options.burst >= 1) || !(options.perMinute > 0)) {
      throw new RangeError('RateLimiter needs burst >= 1 and perMinute > 0');
    }
    this.#burst = options.burst;
    this.#msPerToken = 60_000 / options.perMinute;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Spends one token for `key` if one is available. */
  take(key: string): RateDecision {
    const bucket = this.#refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = (1 - bucket.tokens) * this.#msPerToken;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Whether `key` has a token left, without spending it. */
  peek(key: string): RateDecision {
    const bucket = this.#refill(key);
    if (bucket.tokens >= 1) return { allowed: true };
    const waitMs = (1 - bucket.tokens) * this.#msPerToken;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  #refill(key: string): Bucket {
    const now = this.#now();
    const existing = this.#buckets.get(key);
    // Re-inserting keeps the Map in least-recently-seen order for eviction.
    if (existing) this.#buckets.delete(key);
    const bucket = existing ?? { tokens: this.#burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsed / this.#msPerToken);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    while (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
    return bucket;
  }
}
