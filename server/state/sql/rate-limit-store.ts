import { sql, type Kysely } from 'kysely';
import type { RateDecision, RateLimitStore, RateRule } from '../rate-limit-store.js';
import { checkRule, decide, msPerToken, refilled } from '../token-bucket.js';
import { double, larger, smaller, sweepBatch } from './dialect-helpers.js';
import type { Database, SqlEngine } from './schema.js';

/**
 * {@link RateLimitStore} on SQLite or PostgreSQL. `take` is one upsert whose arithmetic refills
 * and spends in the database (`RETURNING` reads the outcome back), so instances sharing the
 * table never both spend a bucket's last token. A bucket that has refilled completely is
 * deleted by the sweep (it carries no information).
 */
export class SqlRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    checkRule(rule, cost);
    const now = this.now();
    const perToken = msPerToken(rule);
    // The raw fragments name columns as on disk: the camelCase plugin rewrites identifiers, not SQL text.
    const elapsed = larger(this.engine, sql<number>`0`, sql<number>`${now} - rate_buckets.updated_at_ms`);
    const available = smaller(
      this.engine,
      double(rule.burst),
      sql<number>`rate_buckets.tokens + ${elapsed} / ${double(perToken)}`,
    );
    const spendable = sql<boolean>`${available} >= ${double(cost)}`;
    const after = sql<number>`CASE WHEN ${spendable} THEN ${available} - ${double(cost)} ELSE ${available} END`;
    const row = await this.db
      .insertInto('rate_buckets')
      .values({
        key,
        tokens: rule.burst - cost,
        updatedAtMs: now,
        fullAtMs: now + cost * perToken,
        allowed: 1,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          tokens: after,
          allowed: sql<number>`CASE WHEN ${spendable} THEN 1 ELSE 0 END`,
          updatedAtMs: now,
          fullAtMs: sql<number>`${double(now)} + (${double(rule.burst)} - ${after}) * ${double(perToken)}`,
        }),
      )
      .returning(['tokens', 'allowed'])
      .executeTakeFirstOrThrow();
    if (row.allowed === 1) return { allowed: true, remaining: Math.floor(row.tokens) };
    return decide(row.tokens, rule, cost);
  }

  async peek(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    checkRule(rule, cost);
    const row = await this.db
      .selectFrom('rate_buckets')
      .select(['tokens', 'updatedAtMs'])
      .where('key', '=', key)
      .executeTakeFirst();
    return decide(refilled(row, rule, this.now()), rule, cost);
  }

  /** Deletes up to one batch of buckets that are full again; returns how many went. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'rate_buckets', key: 'key', expiresAt: 'fullAtMs', inclusive: true }, this.now());
  }
}
