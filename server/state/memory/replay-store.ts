import type { ConsumeResult, ReplayStore } from '../replay-store.js';
import { StoreUnavailableError } from '../store-errors.js';

/** Tunables of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most live entries kept at once (default 100 000). */
  maxEntries?: number;
  /** Clock in milliseconds, injectable for tests. */
  now?: () => number;
}

/**
 * {@link ReplayStore} in one process's memory (unit tests and single-process embedding).
 * Memory is bounded by `maxEntries`: expired entries are dropped, and only they are ever
 * evicted. When the store is full of *live* entries, `consume` throws
 * {@link StoreUnavailableError} (503, retry in 30 s) instead of evicting one, because evicting a
 * live entry would let that solution be replayed. The SQL stores have no such ceiling: their
 * rows are bounded by the per-address budget on redeemed solutions and the sweep.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiries = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of entries currently remembered. */
  get size(): number {
    return this.#expiries.size;
  }

  /** Synchronous check-and-set underneath, so two concurrent calls cannot both be accepted. */
  async consume(key: string, expiresAtMs: number): Promise<ConsumeResult> {
    const now = this.#now();
    this.#sweepOldest(now);
    const seen = this.#expiries.get(key);
    if (seen !== undefined && seen >= now) return 'replayed';
    if (this.#expiries.size >= this.#max) {
      this.#sweepAll(now);
      if (this.#expiries.size >= this.#max) {
        throw new StoreUnavailableError('Too many sessions are being created; retry shortly.', 30);
      }
    }
    this.#expiries.delete(key);
    this.#expiries.set(key, expiresAtMs);
    return 'accepted';
  }

  async seen(key: string): Promise<boolean> {
    const expiresAt = this.#expiries.get(key);
    return expiresAt !== undefined && expiresAt >= this.#now();
  }

  // Challenges share one TTL, so insertion order is nearly expiry order: dropping from the
  // front keeps the sweep amortised O(1) per call.
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
