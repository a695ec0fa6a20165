import type { RateDecision, RateRule } from './rate-limit-store.js';

/** A bucket's state: fractional tokens as of `updatedAtMs`. */
export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

/** Throws unless `rule` can ever allow something and `cost` is a positive whole number ≤ burst. */
export function checkRule(rule: RateRule, cost: number): void {
  if (!(rule.burst >= 1) || !(rule.perMinute > 0)) throw new RangeError('A rate rule needs burst >= 1 and perMinute > 0');
  if (!Number.isInteger(cost) || cost < 1 || cost > rule.burst) throw new RangeError('cost must be an integer in 1..burst');
}

export const msPerToken = (rule: RateRule): number => 60_000 / rule.perMinute;

/** Tokens after refilling an existing bucket (or a full one for an unseen key) up to `now`. */
export function refilled(bucket: BucketState | undefined, rule: RateRule, now: number): number {
  if (!bucket) return rule.burst;
  const elapsed = Math.max(0, now - bucket.updatedAtMs);
  return Math.min(rule.burst, bucket.tokens + elapsed / msPerToken(rule));
}

/** The decision for `tokens` available now and a cost; `remaining` counts whole tokens after spending. */
export function decide(tokens: number, rule: RateRule, cost: number): RateDecision {
  if (tokens >= cost) return { allowed: true, remaining: Math.floor(tokens - cost) };
  const waitMs = (cost - tokens) * msPerToken(rule);
  return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
