/** A token bucket: `burst` events at once, `perMinute` regained per minute. */
export interface RateRule {
  burst: number;
  perMinute: number;
}

/** Outcome of {@link RateLimitStore.take}. `remaining` is the whole tokens left after the call. */
export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

/**
 * Token-bucket counters keyed by a string the caller builds (e.g. `pairing:create:<address>`).
 * In memory (one process) or in the database (shared by every instance); each `take` is atomic,
 * so two instances counting the same key never both spend its last token. Buckets that have
 * refilled completely carry no information and may be deleted at any time, which bounds the
 * table by the number of keys active within one refill period.
 */
export interface RateLimitStore {
  /** Spends `cost` (default 1) tokens of `key` if that many are available. */
  take(key: string, rule: RateRule, cost?: number): Promise<RateDecision>;
  /** Whether `key` has `cost` (default 1) tokens left, without spending any. */
  peek(key: string, rule: RateRule, cost?: number): Promise<RateDecision>;
}
