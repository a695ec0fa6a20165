import type { Kysely } from 'kysely';
import type { Page, Scope } from '../app-store.js';
import { oneInScope, pageOf } from './scoped-rows.js';
import { digestsEqual, plausibleSecret, secretDigest } from '../key-digest.js';
import { LAST_USED_PRECISION_MS, newServiceApiKey, serviceKeyExpired } from '../service-api-key-material.js';
import type { NewServiceApiKey, ServiceApiKeyRecord, ServiceApiKeyStore } from '../service-api-key-store.js';
import { sweepBatch } from './dialect-helpers.js';
import { EXPIRED_KEY_GRACE_MS } from './paired-api-key-store.js';
import type { Database, ServiceApiKeysTable } from './schema.js';

/**
 * The record of a row, its fields named one by one (never the digest): a column added later
 * reaches no API answer unless it is added here.
 */
const toRecord = (row: ServiceApiKeysTable): ServiceApiKeyRecord => {
  const { id, tenantId, projectId, appId, agentId, name, prefix, createdAt, expiresAt, lastUsedAt } = row;
  return { id, tenantId, projectId, appId, agentId, name, prefix, createdAt, expiresAt, lastUsedAt };
};

/**
 * {@link ServiceApiKeyStore} on SQLite or PostgreSQL. Only the SHA-256 digest of a secret is
 * stored (uniquely indexed); `lastUsedAt` is written at most once a minute per key, so
 * verifying is a read on the hot path.
 */
export class SqlServiceApiKeyStore implements ServiceApiKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: NewServiceApiKey): Promise<{ secret: string; record: ServiceApiKeyRecord }> {
    const { secret, record } = newServiceApiKey(input, this.now());
    await this.db
      .insertInto('service_api_keys')
      .values({
        id: record.id,
        digest: secretDigest(secret).toString('hex'),
        tenantId: record.tenantId,
        projectId: record.projectId,
        appId: record.appId,
        agentId: record.agentId,
        name: record.name,
        prefix: record.prefix,
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        expiresAtMs: record.expiresAt === null ? null : Date.parse(record.expiresAt),
        lastUsedAt: null,
      })
      .execute();
    return { secret, record };
  }

  list(scope: Scope, query: { page: number; limit: number }): Promise<Page<ServiceApiKeyRecord>> {
    return pageOf(this.db, 'service_api_keys', scope, query, toRecord);
  }

  get(scope: Scope, id: string): Promise<ServiceApiKeyRecord | undefined> {
    return oneInScope(this.db, 'service_api_keys', scope, id, toRecord);
  }

  async revoke(scope: Scope, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('service_api_keys')
      .where('tenantId', '=', scope.tenantId)
      .where('projectId', '=', scope.projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async verify(secret: string): Promise<ServiceApiKeyRecord | undefined> {
    if (!plausibleSecret(secret)) return undefined;
    const digest = secretDigest(secret);
    const row = await this.db
      .selectFrom('service_api_keys')
      .selectAll()
      .where('digest', '=', digest.toString('hex'))
      .executeTakeFirst();
    if (!row || !digestsEqual(Buffer.from(row.digest, 'hex'), digest)) return undefined;
    const now = this.now();
    const record = toRecord(row);
    if (serviceKeyExpired(record, now)) return undefined;
    const lastUsed = record.lastUsedAt === null ? -Infinity : Date.parse(record.lastUsedAt);
    if (now - lastUsed >= LAST_USED_PRECISION_MS) {
      record.lastUsedAt = new Date(now).toISOString();
      await this.db.updateTable('service_api_keys').set({ lastUsedAt: record.lastUsedAt }).where('id', '=', row.id).execute();
    }
    return record;
  }

  /** Deletes up to one batch of keys expired for longer than the grace period. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'service_api_keys', key: 'id', expiresAt: 'expiresAtMs', inclusive: true }, this.now() - EXPIRED_KEY_GRACE_MS);
  }
}
