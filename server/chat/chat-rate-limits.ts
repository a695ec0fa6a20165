import type { RateRule } from '../state/rate-limit-store.js';
import type { Caller } from '../auth/caller.js';
import { rateKeyOf } from '../core/client-address.js';

/**
 * Per-client budgets of the run routes. Request rates are token buckets in the shared
 * `RateLimitStore` (so they count across instances); open streams are counted by each process,
 * because what an open stream pins (a socket, its reply) belongs to the process serving it.
 * Every rule is per key, never global: a client over its budget waits alone.
 */
export interface ChatRateLimits {
  /** Chat requests (`/run/api/chat`, `/run/v1/chat/completions`) per caller identity. */
  chatPerIdentity: RateRule;
  /** Chat requests per client address, whichever identity the caller uses. */
  chatPerAddress: RateRule;
  /** Conversation reads, feedback and events per caller identity. */
  historyPerIdentity: RateRule;
  /** Conversation reads, feedback and events per client address. */
  historyPerAddress: RateRule;
  /** Chat answers being sent at once to one caller identity (per process). */
  streamsPerIdentity: number;
  /** Chat answers being sent at once to one client address (per process). */
  streamsPerAddress: number;
}

export const DEFAULT_CHAT_RATE_LIMITS: ChatRateLimits = {
  chatPerIdentity: { burst: 30, perMinute: 30 },
  chatPerAddress: { burst: 10, perMinute: 120 },
  historyPerIdentity: { burst: 120, perMinute: 120 },
  historyPerAddress: { burst: 600, perMinute: 600 },
  streamsPerIdentity: 4,
  streamsPerAddress: 16,
};

/** What a key counts: chat requests, history requests (the looser budget), or open chat streams. */
export type RunBudget = 'chat' | 'history' | 'stream';

/** Fills partial limits (e.g. from `startServer` options) with the defaults. */
export function completeChatRateLimits(partial: Partial<ChatRateLimits> = {}): ChatRateLimits {
  return { ...DEFAULT_CHAT_RATE_LIMITS, ...partial };
}

/** The key of a caller identity's budget: its kind and id, scoped by tenant, project and app. */
export function identityKey(budget: RunBudget, caller: Pick<Caller, 'kind' | 'owner'>): string {
  const { tenantId, projectId, appId, ownerId } = caller.owner;
  return `${budget}:identity:${tenantId}:${projectId}:${appId}:${caller.kind}:${ownerId}`;
}

/** The key of a client address's budget (IPv6 per /64, as every per-client limit). */
export function addressKey(budget: RunBudget, clientAddress: string): string {
  return `${budget}:address:${rateKeyOf(clientAddress)}`;
}
