import type { Kysely } from 'kysely';
import type { ConsumeResult, ReplayStore } from '../replay-store.js';
import type { Database } from './schema.js';
import { sweepBatch } from './dialect-helpers.js';

/**
 * {@link ReplayStore} on SQLite or PostgreSQL: one `INSERT … ON CONFLICT DO UPDATE … WHERE
 * expired RETURNING` statement, so of two instances redeeming one solution at the same moment
 * the database lets exactly one row through. An expired row is taken over in place.
 */
export class SqlReplayStore implements ReplayStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(key: string, expiresAtMs: number): Promise<ConsumeResult> {
    const now = this.now();
    const row = await this.db
      .insertInto('replay_entries')
      .values({ key, expiresAtMs })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ expiresAtMs: (eb) => eb.ref('excluded.expiresAtMs') })
          .where('replay_entries.expiresAtMs', '<', now),
      )
      .returning('key')
      .executeTakeFirst();
    return row ? 'accepted' : 'replayed';
  }

  async seen(key: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('replay_entries')
      .select('key')
      .where('key', '=', key)
      .where('expiresAtMs', '>=', this.now())
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Deletes up to one batch of expired entries; returns how many went. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'replay_entries', key: 'key', expiresAt: 'expiresAtMs', inclusive: false }, this.now());
  }
}
