import { ServerError } from '../core/errors.js';

/** A claim on some slots; calling it more than once releases them once. */
export type ReleaseSlots = () => void;

/** One bounded count: at most `max` slots of `key` at once. */
export interface SlotClaim {
  key: string;
  max: number;
  /** "this identity" / "this address", for the refusal's detail. */
  who: string;
}

/**
 * Counts what is open at once per key (e.g. chat streams per identity and per address) in this
 * process. Keys whose count falls to zero are forgotten, so the map holds only keys with
 * something open, and that is bounded by the connection caps.
 */
export class StreamSlots {
  readonly #open = new Map<string, number>();

  /** How many slots of `key` are taken now. */
  count(key: string): number {
    return this.#open.get(key) ?? 0;
  }

  /**
   * Takes one slot of every claim, or none of them.
   * @throws ServerError 429 with `Retry-After: 1` (and `Connection: close`) when a claim's key is at its `max`.
   */
  acquire(claims: readonly SlotClaim[]): ReleaseSlots {
    const full = claims.find((claim) => this.count(claim.key) >= claim.max);
    if (full) {
      throw new ServerError('too_many_requests', `Too many chat answers open for ${full.who}; finish reading one first.`, {
        retryAfterSeconds: 1,
        closeConnection: true,
      });
    }
    for (const claim of claims) this.#open.set(claim.key, this.count(claim.key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const claim of claims) {
        const left = this.count(claim.key) - 1;
        if (left > 0) this.#open.set(claim.key, left);
        else this.#open.delete(claim.key);
      }
    };
  }
}
