import type { RateLimitStore, RateRule } from '../state/rate-limit-store.js';
import { ServerError } from '../core/errors.js';

/**
 * Spends one request of `key`'s budget.
 * @param limits where the bucket is counted (shared by every instance on one database)
 * @param key whose budget (built by the caller: an identity or an address)
 * @param rule the bucket's size and refill
 * @param who "this identity" / "this address", for the detail
 * @throws ServerError `too_many_requests` with its retry delay when the budget is spent. It closes the
 *   connection: a client that pipelines a flood of requests on one socket is refused once, not once
 *   per request it queued.
 */
export async function spendRequestBudget(limits: RateLimitStore, key: string, rule: RateRule, who: string): Promise<void> {
  const decision = await limits.take(key, rule);
  if (decision.allowed) return;
  throw new ServerError('too_many_requests', `Too many requests from ${who}; wait and try again.`, {
    retryAfterSeconds: decision.retryAfterSeconds,
    closeConnection: true,
  });
}
