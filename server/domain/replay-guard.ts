/** Result of offering a solved challenge to the guard. */
export type ConsumeResult = 'accepted' | 'replayed' | 'full';

export interface ReplayGuardOptions {
  /** Most live entries kept at once (default 100 000). */
  maxEntries?: number;
  /** Clock in milliseconds, injectable for tests. */
  now?: () => number;
}

/**
 * Remembers solved challenges until they expire, so each one is accepted once.
 * Memory is bounded: expired entries are dropped, and when the guard is full of
 * live entries it refuses new ones rather than evicting (evicting a live entry
 * would let that solution be replayed).
 */
export class ReplayGuard {
  readonly #expiries = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: ReplayGuardOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of entries currently remembered. */
  get size(): number {
    return this.#expiries.size;
  }

  /**
   * Records `key` as used until `expiresAtMs`. Synchronous check-and-set, so two
   * concurrent requests with the same solution cannot both be accepted.
   */
  consume(key: string, expiresAtMs: number): ConsumeResult {
    const now = this.#now();
    this.#sweepOldest(now);
    const seen = this.#expiries.get(key);
    if (seen !== undefined && seen >= now) return 'replayed';
    if (this.#expiries.size >= this.#max) {
      this.#sweepAll(now);
      if (this.#expiries.size >= this.#max) return 'full';
    }
    this.#expiries.delete(key);
    this.#expiries.set(key, expiresAtMs);
    return 'accepted';
  }

  // Challenges share one TTL, so insertion order is nearly expiry order: dropping
  // from the front keeps the sweep amortised O(1) per call.
  #sweepOldest(now: number): void {
    for (const [key, expiresAt] of this.#expiries) {
      if (expiresAt >= now) return;
      this.#expiries.delete(key);
    }
  }

  #sweepAll(now: number): void {
    for (const [key, expiresAt] of this.#expiries) if (expiresAt < now) this.#expiries.delete(key);
  }
}
