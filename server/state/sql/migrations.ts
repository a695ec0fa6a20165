import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

// Never edit a shipped migration: append a new one. Names sort in application order.
// Types are chosen to mean the same on both engines: SQLite maps `bigint` to INTEGER and
// `double precision` to REAL affinity.
const MIGRATIONS: Record<string, Migration> = {
  // `ifNotExists` adopts databases written before the Kysely layer (same two tables, same columns).
  '0001_apps_and_credential_references': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('apps')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('web_client', 'api', 'support_copilot')`))
        .addColumn('default_agent_id', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('apps_scope').ifNotExists().on('apps').columns(['tenant_id', 'project_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('credential_references')
        .ifNotExists()
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('memory', 'keychain', 'nango')`))
        .addColumn('credential_store_id', 'text', (c) => c.notNull())
        .addColumn('retrieval_params', 'text')
        .addColumn('tool_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('credential_references_pk', ['tenant_id', 'project_id', 'id'])
        .execute();
      await db.schema
        .createIndex('credential_references_order')
        .ifNotExists()
        .on('credential_references')
        .columns(['tenant_id', 'project_id', 'created_at', 'id'])
        .execute();
    },
  },
  '0002_shared_state': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('app_tombstones')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('replay_entries')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('replay_entries_expiry').on('replay_entries').column('expires_at_ms').execute();

      await db.schema
        .createTable('pairing_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('app_name', 'text', (c) => c.notNull())
        .addColumn('code_digest', 'text', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('forget_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('pending', 'used', 'dead')`))
        .execute();
      await db.schema.createIndex('pairing_challenges_forget').on('pairing_challenges').column('forget_at_ms').execute();

      await db.schema
        .createTable('paired_api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('digest', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('app_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('expires_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('paired_api_keys_expiry').on('paired_api_keys').column('expires_at_ms').execute();

      await db.schema
        .createTable('rate_buckets')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('full_at_ms', 'double precision', (c) => c.notNull())
        .addColumn('allowed', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rate_buckets_full').on('rate_buckets').column('full_at_ms').execute();

      await db.schema
        .createTable('service_api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('digest', 'text', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('expires_at_ms', 'bigint')
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema
        .createIndex('service_api_keys_scope')
        .on('service_api_keys')
        .columns(['tenant_id', 'project_id', 'created_at', 'id'])
        .execute();
      await db.schema.createIndex('service_api_keys_expiry').on('service_api_keys').column('expires_at_ms').execute();

      await db.schema
        .createTable('conversation_owners')
        .addColumn('owner_key', 'text', (c) => c.primaryKey())
        .addColumn('conversation_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('title', 'text')
        .addColumn('message_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversations_owner').on('conversations').columns(['owner_key', 'updated_at', 'id']).execute();
      await db.schema
        .createTable('conversation_messages')
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('parts', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_messages_pk', ['conversation_id', 'position'])
        .addUniqueConstraint('conversation_messages_id', ['conversation_id', 'id'])
        .execute();
      await db.schema
        .createTable('conversation_feedback')
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('message_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_feedback_pk', ['conversation_id', 'message_key'])
        .execute();
      await db.schema
        .createTable('conversation_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('properties', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversation_events_age').on('conversation_events').column('created_at_ms').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Names of every migration this build knows, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

/** Thrown when the database was migrated by a newer ink-auth than this one. */
export class SchemaTooNewError extends Error {
  readonly code = 'schema_too_new';
  constructor(readonly unknown: readonly string[]) {
    super(`the database has migrations this server does not know (${unknown.join(', ')}); upgrade ink-auth.`);
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Applies every pending migration. On PostgreSQL Kysely's migrator holds an advisory lock and
 * runs them in one transaction, so instances starting together apply each migration once; on
 * SQLite the one connection is held for the whole run.
 *
 * It runs on `instance` without its plugins (same driver and pool): the migrations above and
 * Kysely's own `kysely_migration*` tables spell every identifier as it is on disk, and the
 * schema they build must never depend on how `CamelCasePlugin` (connect.ts) respells a name.
 */
export async function migrateToLatest(instance: Kysely<unknown>): Promise<void> {
  const db = instance.withoutPlugins();
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (!error) return;
  const known = new Set(MIGRATION_NAMES);
  const unknown = (await appliedNames(db)).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new SchemaTooNewError(unknown);
  throw error;
}

async function appliedNames(db: Kysely<unknown>): Promise<string[]> {
  try {
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    return rows.rows.map((row) => row.name);
  } catch {
    return [];
  }
}
