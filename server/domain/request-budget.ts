import type { RateLimitStore, RateRule } from '../store/rate-limit-store.js';
import { ProblemError } from './problem.js';

/**
 * Sent with every refusal: the connection ends after the 429, so a client that pipelines a
 * flood of requests on one socket is refused once, not once per request it queued.
 */
export const CLOSE_CONNECTION = { connection: 'close' } as const;

/**
 * Spends one request of `key`'s budget.
 * @param limits where the bucket is counted (shared by every instance on one database)
 * @param key whose budget (built by the caller: an identity or an address)
 * @param rule the bucket's size and refill
 * @param who "this identity" / "this address", for the detail
 * @throws ProblemError 429 `too_many_requests` with `Retry-After` (and `Connection: close`) when the budget is spent.
 */
export async function spendRequestBudget(limits: RateLimitStore, key: string, rule: RateRule, who: string): Promise<void> {
  const decision = await limits.take(key, rule);
  if (decision.allowed) return;
  throw new ProblemError('too_many_requests', `Too many requests from ${who}; wait and try again.`, {
    'retry-after': String(decision.retryAfterSeconds),
    ...CLOSE_CONNECTION,
  });
}
