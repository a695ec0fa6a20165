import { sql, type Kysely } from 'kysely';
import type {
  CreatedChallenge,
  PairingChallengeOptions,
  PairingChallengeStore,
  RedeemAttempt,
  RedeemedChallenge,
} from '../pairing-challenge-store.js';
import {
  capacityExhausted,
  challengeNotFound,
  challengeRules,
  codeDigest,
  forgetAtMs,
  judgeRedeem,
  newChallengeId,
  type ChallengeRules,
} from '../pairing-challenge-rules.js';
import { StoreUnavailableError } from '../store-errors.js';
import { sweepBatch } from './dialect-helpers.js';
import type { Database } from './schema.js';

/** Compare-and-set rounds a redeem may lose to concurrent redeems of the same challenge. */
const MAX_REDEEM_ROUNDS = 50;

/**
 * {@link PairingChallengeStore} on SQLite or PostgreSQL. A redeem reads the row, judges it with
 * the shared rules (the code digest is compared in constant time here, not in SQL), then
 * writes the verdict only if the row is still what it read (`failed_attempts` and `state`
 * unchanged): a lost race re-reads, so concurrent attempts are all counted and a right code
 * is spent once. `maxChallenges` is checked before the insert, so concurrent creations may
 * overshoot it by their number; the rate limits in front of creation keep that small.
 */
export class SqlPairingChallengeStore implements PairingChallengeStore {
  readonly #rules: ChallengeRules;

  constructor(
    private readonly db: Kysely<Database>,
    options: PairingChallengeOptions = {},
  ) {
    this.#rules = challengeRules(options);
  }

  async create(appId: string, appName: string, requestedId?: string): Promise<CreatedChallenge> {
    const now = this.#rules.now();
    // Only live challenges count (pending, unexpired): tombstones never keep a newcomer out.
    const live = await this.db
      .selectFrom('pairing_challenges')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`min(expires_at_ms)`.as('oldest'),
        sql<number>`coalesce(sum(case when app_id = ${appId} then 1 else 0 end), 0)`.as('of_app'),
        sql<number | null>`min(case when app_id = ${appId} then expires_at_ms end)`.as('oldest_of_app'),
      ])
      .where('state', '=', 'pending')
      .where('expires_at_ms', '>', now)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= this.#rules.maxChallenges) throw capacityExhausted(Number(live.oldest), now);
    if (Number(live.of_app) >= this.#rules.maxChallengesPerApp) throw capacityExhausted(Number(live.oldest_of_app), now, true);
    const code = this.#rules.generateCode();
    const expiresAtMs = now + this.#rules.ttlMs;
    const challengeId = requestedId ?? newChallengeId();
    await this.db
      .insertInto('pairing_challenges')
      .values({
        id: challengeId,
        app_id: appId,
        app_name: appName,
        code_digest: codeDigest(code).toString('hex'),
        expires_at_ms: expiresAtMs,
        forget_at_ms: forgetAtMs(expiresAtMs, this.#rules),
        failed_attempts: 0,
        state: 'pending',
      })
      .execute();
    return { challengeId, code, expiresAt: new Date(expiresAtMs) };
  }

  async appOf(challengeId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('pairing_challenges')
      .select('app_id')
      .where('id', '=', challengeId)
      .where('forget_at_ms', '>', this.#rules.now())
      .executeTakeFirst();
    return row?.app_id;
  }

  async redeem(challengeId: string, code: string, attempt: RedeemAttempt = {}): Promise<RedeemedChallenge> {
    for (let round = 0; round < MAX_REDEEM_ROUNDS; round++) {
      const now = this.#rules.now();
      const row = await this.db
        .selectFrom('pairing_challenges')
        .selectAll()
        .where('id', '=', challengeId)
        .where('forget_at_ms', '>', now)
        .executeTakeFirst();
      if (!row) throw challengeNotFound();
      const verdict = judgeRedeem(
        {
          appId: row.app_id,
          appName: row.app_name,
          codeDigest: Buffer.from(row.code_digest, 'hex'),
          expiresAtMs: row.expires_at_ms,
          failedAttempts: row.failed_attempts,
          state: row.state,
        },
        code,
        now,
        this.#rules,
        attempt,
      );
      if (verdict.outcome === 'refused') throw verdict.error;
      const next =
        verdict.outcome === 'redeemed'
          ? { state: verdict.next }
          : { state: verdict.next, failed_attempts: verdict.failedAttempts };
      const written = await this.db
        .updateTable('pairing_challenges')
        .set(next)
        .where('id', '=', challengeId)
        .where('state', '=', 'pending')
        .where('failed_attempts', '=', row.failed_attempts)
        .executeTakeFirst();
      if (Number(written.numUpdatedRows) === 0) continue;
      if (verdict.outcome === 'wrong_code') throw verdict.error;
      return { appId: row.app_id, appName: row.app_name };
    }
    throw new StoreUnavailableError('This pairing challenge is busy; retry.', 1);
  }

  /** Deletes up to one batch of challenges past their tombstone window; returns how many went. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'pairing_challenges', key: 'id', expiresAt: 'forget_at_ms', inclusive: true }, this.#rules.now());
  }
}
