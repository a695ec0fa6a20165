import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { authenticateCaller, callerHeaders, type Caller, type CallerAuthDeps } from '../../auth/caller.js';
import { addressKey, identityKey, type ChatRateLimits } from '../chat-rate-limits.js';
import { spendRequestBudget } from '../request-budget.js';
import type { ReleaseSlots, StreamSlots } from '../stream-slots.js';
import type { RateLimitStore } from '../../state/rate-limit-store.js';

/** What admitting a run request needs: authentication, the shared counters, the budgets, open streams. */
export interface RunAdmission {
  auth: CallerAuthDeps;
  limits: RateLimitStore;
  rates: ChatRateLimits;
  streams: StreamSlots;
}

const ADDRESS = 'this address';
const IDENTITY = 'this identity';

function clientOf(c: Context<AppEnv>): string {
  return c.get('clientAddress') ?? 'unknown';
}

/**
 * Authenticates the caller, then spends the address budget and the identity budget. A refused
 * credential spends nothing: a rejected request leaves no state behind, and refusing it costs
 * no more than checking a signature or looking up one key.
 * @throws ServerError 401/403 (see `authenticateCaller`), 429 + `Retry-After` (a budget is spent).
 */
export async function admitCaller(admission: RunAdmission, c: Context<AppEnv>, budget: 'chat' | 'history'): Promise<Caller> {
  const { limits, rates } = admission;
  const perAddress = budget === 'chat' ? rates.chatPerAddress : rates.historyPerAddress;
  const perIdentity = budget === 'chat' ? rates.chatPerIdentity : rates.historyPerIdentity;
  const caller = await authenticateCaller(admission.auth, callerHeaders((name) => c.req.header(name)));
  await spendRequestBudget(limits, addressKey(budget, clientOf(c)), perAddress, ADDRESS);
  await spendRequestBudget(limits, identityKey(budget, caller), perIdentity, IDENTITY);
  return caller;
}

/**
 * Claims one open-stream slot for the caller's identity and its address; the route must hand
 * the release to `releaseWhenSent` (or call it when it fails before answering).
 * @throws ServerError 429 when either already has its maximum of answers open.
 */
export function claimStream(admission: RunAdmission, c: Context<AppEnv>, caller: Caller): ReleaseSlots {
  const { rates, streams } = admission;
  return streams.acquire([
    { key: identityKey('stream', caller), max: rates.streamsPerIdentity, who: IDENTITY },
    { key: addressKey('stream', clientOf(c)), max: rates.streamsPerAddress, who: ADDRESS },
  ]);
}
