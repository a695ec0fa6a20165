import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiKeyRecord, ApiKeyStore, ApiKeyVerification } from '../api-keys.js';
import { digestsEqual, plausibleSecret, secretDigest } from '../key-digest.js';
import { sweepBatch } from './dialect-helpers.js';
import type { Database, PairedApiKeysTable } from './schema.js';

/** Tunables of {@link SqlPairedApiKeyStore}. */
export interface SqlPairedApiKeyStoreOptions {
  /** Key lifetime in seconds; `null` = keys never expire. Default 30 days. */
  lifetimeSeconds?: number | null;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** Expired keys are kept this long so a client is told "expired" rather than "invalid". */
export const EXPIRED_KEY_GRACE_MS = 24 * 3600_000;

/**
 * The record of a row, its fields named one by one (never the digest): a column added later
 * reaches no API answer unless it is added here.
 */
const toRecord = ({ id, appId, appName, createdAt, expiresAt }: PairedApiKeysTable): ApiKeyRecord => ({ id, appId, appName, createdAt, expiresAt });

/**
 * Paired API keys ({@link ApiKeyStore}) on SQLite or PostgreSQL: a key is 32 random bytes in
 * base64, of which only the SHA-256 digest (hex, uniquely indexed) and metadata are stored.
 * Keys survive restarts and are valid on every instance sharing the database.
 */
export class SqlPairedApiKeyStore implements ApiKeyStore {
  readonly #lifetimeMs: number | null;
  readonly #now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    options: SqlPairedApiKeyStoreOptions = {},
  ) {
    const lifetime = options.lifetimeSeconds === undefined ? 30 * 24 * 3600 : options.lifetimeSeconds;
    this.#lifetimeMs = lifetime === null ? null : lifetime * 1000;
    this.#now = options.now ?? Date.now;
  }

  async issue(input: { appId: string; appName: string }): Promise<{ apiKey: string; record: ApiKeyRecord }> {
    const now = this.#now();
    const apiKey = randomBytes(32).toString('base64');
    const expiresAtMs = this.#lifetimeMs === null ? null : now + this.#lifetimeMs;
    const row: PairedApiKeysTable = {
      id: `key_${randomBytes(8).toString('hex')}`,
      digest: secretDigest(apiKey).toString('hex'),
      appId: input.appId,
      appName: input.appName,
      createdAt: new Date(now).toISOString(),
      expiresAt: expiresAtMs === null ? null : new Date(expiresAtMs).toISOString(),
      expiresAtMs,
    };
    await this.db.insertInto('paired_api_keys').values(row).execute();
    return { apiKey, record: toRecord(row) };
  }

  async verify(apiKey: string): Promise<ApiKeyVerification> {
    if (!plausibleSecret(apiKey)) return { ok: false, reason: 'invalid' };
    const digest = secretDigest(apiKey);
    const row = await this.db
      .selectFrom('paired_api_keys')
      .selectAll()
      .where('digest', '=', digest.toString('hex'))
      .executeTakeFirst();
    // The row was found by its digest; the constant-time check guards the final answer.
    if (!row || !digestsEqual(Buffer.from(row.digest, 'hex'), digest)) return { ok: false, reason: 'invalid' };
    if (row.expiresAtMs !== null && this.#now() >= row.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, record: toRecord(row) };
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('paired_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('paired_api_keys').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes up to one batch of keys expired for longer than the grace period. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'paired_api_keys', key: 'id', expiresAt: 'expiresAtMs', inclusive: true }, this.#now() - EXPIRED_KEY_GRACE_MS);
  }
}
