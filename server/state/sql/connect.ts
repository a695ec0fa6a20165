import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { Database, SqlEngine } from './schema.js';

/** An open, migrated database. */
export interface SqlDatabase {
  db: Kysely<Database>;
  engine: SqlEngine;
  close(): Promise<void>;
}

/**
 * Queries name columns in camelCase (schema.ts); the plugin writes them snake_case into the SQL
 * and camel-cases the column names of result rows. Strings inside `sql` templates are not
 * rewritten, so raw fragments name columns as on disk. No column name holds a digit or
 * consecutive capitals, so the default spelling rules round-trip every one (a test checks each
 * column of the latest schema). Values are never touched: `maintainNestedObjectKeys` keeps the
 * keys of any object a driver hands back (a PostgreSQL `json` value) as they are; the JSON
 * columns here are text anyway, read back as the string stored.
 */
const CAMEL_CASE = new CamelCasePlugin({ maintainNestedObjectKeys: true });

/** A Kysely instance on `dialect` that speaks camelCase ({@link CAMEL_CASE}). */
const camelCased = (dialect: Dialect): Kysely<Database> => new Kysely<Database>({ dialect, plugins: [CAMEL_CASE] });

/** Thrown when a SQLite file is a database, but another program's. */
export class ForeignDatabaseError extends Error {
  readonly code = 'foreign_database';
  constructor() {
    super('it is an SQLite database of another program (no ink-auth tables)');
    this.name = 'ForeignDatabaseError';
  }
}

/** How long one PostgreSQL statement or connection attempt may take before it fails (→ 503). */
export const PG_TIMEOUT_MS = 5_000;

/**
 * Opens (creating the directory and file if needed) and migrates a SQLite database;
 * `:memory:` gives a throwaway one. Throws on a corrupt or foreign file.
 */
export async function openSqlite(path: string): Promise<SqlDatabase> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const raw = new BetterSqlite3(path);
  try {
    // The first statement reads the header: a file that is not SQLite fails here.
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    // Two servers briefly sharing a file during a restart wait instead of failing.
    raw.pragma('busy_timeout = 5000');
    refuseForeign(raw);
  } catch (error) {
    raw.close();
    throw error;
  }
  const db = camelCased(new SqliteDialect({ database: raw }));
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

function refuseForeign(raw: BetterSqlite3.Database): void {
  const tables = raw
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all()
    .map((row) => row.name);
  if (tables.length === 0) return;
  if (tables.includes('kysely_migration') || tables.includes('apps')) return;
  throw new ForeignDatabaseError();
}

/** `pg` hands bigint (`COUNT(*)`, `*_ms`) back as strings; every value here fits a double. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Connects to PostgreSQL at `url`, checks the connection and migrates. Every statement and
 * connection attempt is bounded by {@link PG_TIMEOUT_MS}, so a vanished database fails
 * requests quickly instead of hanging them. `onIdleError` hears errors of idle pooled
 * connections (a restart of the database), which would otherwise crash the process.
 */
export async function openPostgres(
  url: string,
  options: { onIdleError?: (error: Error) => void; maxConnections?: number } = {},
): Promise<SqlDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: PG_TIMEOUT_MS,
    statement_timeout: PG_TIMEOUT_MS,
    query_timeout: PG_TIMEOUT_MS * 2,
    idle_in_transaction_session_timeout: PG_TIMEOUT_MS * 2,
    idleTimeoutMillis: 30_000,
    types,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const db = camelCased(new PostgresDialect({ pool }));
  try {
    const client = await pool.connect();
    client.release();
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return { db, engine: 'postgres', close: () => db.destroy() };
}
