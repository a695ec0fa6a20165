/** Result of offering a solved challenge to a {@link ReplayStore}. */
export type ConsumeResult = 'accepted' | 'replayed';

/**
 * Remembers redeemed proof-of-work solutions until their challenge expires, so each one is
 * accepted once. `consume` is one atomic insert-or-conflict: of two concurrent calls with the
 * same key (in one process or on two instances sharing a database) exactly one is `accepted`.
 * Expired entries are deleted (bounded work per sweep); what bounds the number of live entries
 * is the per-address budget on redeemed solutions, not this store.
 */
export interface ReplayStore {
  consume(key: string, expiresAtMs: number): Promise<ConsumeResult>;
  /** Whether `key` was consumed and has not expired yet (a read; it consumes nothing). */
  seen(key: string): Promise<boolean>;
}
