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
    // The raw fragments name columns as on disk: the camelCase plugin rewrites identifiers, not SQL text.
    const live = await this.db
      .selectFrom('pairing_challenges')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`min(expires_at_ms)`.as('oldest'),
        sql<number>`coalesce(sum(case when app_id = ${appId} then 1 else 0 end), 0)`.as('ofApp'),
        sql<number | null>`min(case when app_id = ${appId} then expires_at_ms end)`.as('oldestOfApp'),
      ])
      .where('state', '=', 'pending')
      .where('expiresAtMs', '>', now)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= this.#rules.maxChallenges) throw capacityExhausted(Number(live.oldest), now);
    if (Number(live.ofApp) >= this.#rules.maxChallengesPerApp) throw capacityExhausted(Number(live.oldestOfApp), now, true);
    const code = this.#rules.generateCode();
    const expiresAtMs = now + this.#rules.ttlMs;
    const challengeId = requestedId ?? newChallengeId();
    await this.db
      .insertInto('pairing_challenges')
      .values({
        id: challengeId,
        appId,
        appName,
        codeDigest: codeDigest(code).toString('hex'),
        expiresAtMs,
        forgetAtMs: forgetAtMs(expiresAtMs, this.#rules),
        failedAttempts: 0,
        state: 'pending',
      })
      .execute();
    return { challengeId, code, expiresAt: new Date(expiresAtMs) };
  }

  async appOf(challengeId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('pairing_challenges')
      .select('appId')
      .where('id', '=', challengeId)
      .where('forgetAtMs', '>', this.#rules.now())
      .executeTakeFirst();
    return row?.appId;
  }

  async redeem(challengeId: string, code: string, attempt: RedeemAttempt = {}): Promise<RedeemedChallenge> {
    for (let round = 0; round < MAX_REDEEM_ROUNDS; round++) {
      const now = this.#rules.now();
      const row = await this.db
        .selectFrom('pairing_challenges')
        .selectAll()
        .where('id', '=', challengeId)
        .where('forgetAtMs', '>', now)
        .executeTakeFirst();
      if (!row) throw challengeNotFound();
      const verdict = judgeRedeem({ ...row, codeDigest: Buffer.from(row.codeDigest, 'hex') }, code, now, this.#rules, attempt);
      if (verdict.outcome === 'refused') throw verdict.error;
      const next =
        verdict.outcome === 'redeemed'
          ? { state: verdict.next }
          : { state: verdict.next, failedAttempts: verdict.failedAttempts };
      const written = await this.db
        .updateTable('pairing_challenges')
        .set(next)
        .where('id', '=', challengeId)
        .where('state', '=', 'pending')
        .where('failedAttempts', '=', row.failedAttempts)
        .executeTakeFirst();
      if (Number(written.numUpdatedRows) === 0) continue;
      if (verdict.outcome === 'wrong_code') throw verdict.error;
      return { appId: row.appId, appName: row.appName };
    }
    throw new StoreUnavailableError('This pairing challenge is busy; retry.', 1);
  }

  /** Deletes up to one batch of challenges past their tombstone window; returns how many went. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'pairing_challenges', key: 'id', expiresAt: 'forgetAtMs', inclusive: true }, this.#rules.now());
  }
}
