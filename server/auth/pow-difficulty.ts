import type { RateDecision, RateRule } from '../state/rate-limit-store.js';

/** Challenges an address may ask for per level before its difficulty doubles. */
export const CHALLENGES_PER_LEVEL = 10;
/** Doublings above the base before the ceiling. */
export const DIFFICULTY_LEVELS = 7;
/** Challenges per minute an address may ask for and still be served the base difficulty. */
export const CALM_CHALLENGES_PER_MINUTE = 10;
/** Highest `maxnumber` ever served (ALTCHA's usable range). */
export const MAX_DIFFICULTY = 10_000_000;

/**
 * The bucket that measures an address's recent challenges: `u` = burst − tokens is the number
 * of challenges it asked for that have not yet "cooled off" (they cool at
 * {@link CALM_CHALLENGES_PER_MINUTE} a minute).
 */
export const CHALLENGE_PRESSURE_RULE: RateRule = {
  burst: CHALLENGES_PER_LEVEL * (DIFFICULTY_LEVELS + 1),
  perMinute: CALM_CHALLENGES_PER_MINUTE,
};

/** The ceiling for a base difficulty: `min(10 000 000, base × 2^7)`. */
export function difficultyCeiling(base: number): number {
  return Math.min(MAX_DIFFICULTY, base * 2 ** DIFFICULTY_LEVELS);
}

/**
 * The `maxnumber` to serve after taking one token of {@link CHALLENGE_PRESSURE_RULE}:
 * `min(ceiling, base × 2^⌊u / 10⌋)` with `u` the address's challenges not yet cooled off
 * (this one included); the ceiling once the bucket is empty. So an address asking for at
 * most 10 a minute always gets the base, a flood reaches the ceiling after 80, and each
 * quiet minute brings it one level (10 challenges) back down.
 */
export function adaptiveDifficulty(base: number, ceiling: number, pressure: RateDecision): number {
  if (!pressure.allowed) return ceiling;
  const unsettled = CHALLENGE_PRESSURE_RULE.burst - 1 - pressure.remaining;
  const level = Math.floor(unsettled / CHALLENGES_PER_LEVEL);
  return Math.min(ceiling, base * 2 ** level);
}
